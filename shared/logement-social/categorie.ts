/**
 * Household category (catégorie de ménage) of the arrêté du 29 juillet 1987, article 2 as amended,
 * in the wording of service-public's sheet F869:
 *
 * | cat. | persons                                                                                     |
 * |------|---------------------------------------------------------------------------------------------|
 * | 1    | one person alone                                                                            |
 * | 2    | two persons without dependants, except "jeunes ménages"; or one person alone with a disability |
 * | 3    | three persons; or one person alone with one dependant; or a jeune ménage without dependants; or two persons of whom at least one has a disability |
 * | 4    | four persons; or one person alone with two dependants; or three persons of whom at least one has a disability |
 * | 5    | five persons; or one person alone with three dependants; or four persons of whom at least one has a disability |
 * | 6    | six persons; or one person alone with four dependants; or five persons of whom at least one has a disability |
 * | 6 + n | beyond: the category 6 amount plus n times the amount "par personne supplémentaire"       |
 *
 * A jeune ménage is a couple whose two ages add up to 55 years at most. A person with a disability
 * is the holder of the carte mobilité inclusion "invalidité" (article L. 241-3 of the code de l'action
 * sociale et des familles). The rules are alternatives: the household takes the highest step any of
 * them gives (a disability raises the step once, whatever the number of persons with a disability).
 */

export interface Menage {
  /** Every person to be housed, dependants included (≥ 1). */
  personnes: number;
  /** Of which dependants (personnes à charge): children under 21, students under 25, disabled children… */
  personnesACharge: number;
  /** At least one person holds the carte mobilité inclusion "invalidité". */
  handicap: boolean;
  /** A couple whose ages add up to 55 at most. */
  jeuneMenage: boolean;
}

export interface Categorie {
  /** 1 to 6. */
  categorie: number;
  /** Persons counted beyond category 6 (each adds the "par personne supplémentaire" amount). */
  personnesSupplementaires: number;
  /** The step used for the ceiling: categorie + personnesSupplementaires. */
  rang: number;
  /** The rule that gave the step, in plain French. */
  motif: string;
  /** Inputs that had no effect, explained (e.g. "jeune ménage" for a household of three). */
  remarques: string[];
}

const nombre = (n: number) => ['zéro', 'une', 'deux', 'trois', 'quatre', 'cinq', 'six'][n] ?? String(n);
const pluriel = (n: number, mot: string) => `${nombre(n)} ${mot}${n > 1 ? 's' : ''}`;

/** Household check for the API and the form: the French message names the field and the value. */
export function validateMenage(m: Pick<Menage, 'personnes' | 'personnesACharge'>): string[] {
  const erreurs: string[] = [];
  if (!Number.isInteger(m.personnes) || m.personnes < 1) erreurs.push(`Nombre de personnes « ${m.personnes} » : au moins 1 personne est attendue.`);
  if (!Number.isInteger(m.personnesACharge) || m.personnesACharge < 0) erreurs.push(`Personnes à charge « ${m.personnesACharge} » : un nombre positif ou nul est attendu.`);
  else if (m.personnes >= 1 && m.personnesACharge >= m.personnes)
    erreurs.push(
      `Personnes à charge « ${m.personnesACharge} » : elles font partie des ${m.personnes} personne(s) du ménage, qui compte au moins un adulte ; au plus ${Math.max(0, m.personnes - 1)} personne(s) à charge.`,
    );
  return erreurs;
}

/** The household's category. The input must pass `validateMenage` first. */
export function categorieMenage(m: Menage): Categorie {
  const { personnes: n, personnesACharge: d } = m;
  const adultes = n - d;
  const remarques: string[] = [];
  const candidats: { rang: number; motif: string }[] = [];

  if (n === 1) candidats.push({ rang: 1, motif: 'une personne seule' });
  else if (n === 2 && d === 0) candidats.push({ rang: 2, motif: 'deux personnes sans personne à charge' });
  else candidats.push({ rang: n, motif: `${nombre(n)} personnes` });

  if (adultes === 1 && d >= 1) candidats.push({ rang: n + 1, motif: `une personne seule avec ${pluriel(d, 'personne')} à charge` });

  if (m.jeuneMenage) {
    if (n === 2 && d === 0) candidats.push({ rang: 3, motif: 'un jeune ménage sans personne à charge (couple dont la somme des âges ne dépasse pas 55 ans)' });
    else remarques.push('La règle du « jeune ménage » ne concerne que les couples sans personne à charge : elle ne change pas la catégorie de ce ménage.');
  }

  if (m.handicap) {
    candidats.push({
      rang: n + 1,
      motif: n === 1 ? 'une personne seule en situation de handicap' : `${nombre(n)} personnes dont au moins une en situation de handicap`,
    });
  }

  // The highest step wins; on a tie, the first rule listed (the plainest) explains it.
  const retenu = candidats.reduce((a, b) => (b.rang > a.rang ? b : a));
  const categorie = Math.min(retenu.rang, 6);
  return {
    categorie,
    personnesSupplementaires: retenu.rang - categorie,
    rang: retenu.rang,
    motif: retenu.motif,
    remarques,
  };
}
