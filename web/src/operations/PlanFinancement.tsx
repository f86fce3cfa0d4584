import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Fragment, useRef, useState, type FormEvent } from 'react';
import { api, type LigneFinancement, type Operation } from '../api';
import { formatEuros } from '../format';
import { useSubmission } from '../useSubmission';
import {
  CATEGORIES_FINANCEMENT,
  LIBELLES_CHAMPS_LIGNE,
  LIGNE_VIDE,
  ecartLibelle,
  erreursLigne,
  ligneOf,
  saisieOf,
  totalSaisi,
  type ChampLigne,
  type LigneSaisie,
} from './financement';

const MAX_LIGNES = 100;

/** Totals by category, then the gap to the cost price. */
function Synthese({ coutTotal, lignes }: { coutTotal: number | null; lignes: LigneSaisie[] }) {
  const total = totalSaisi(lignes);
  const parCategorie = Object.entries(CATEGORIES_FINANCEMENT).map(
    ([code, libelle]) => [libelle, totalSaisi(lignes.filter((l) => l.categorie === code))] as const,
  );
  return (
    <dl className="atelier-fiche" data-testid="synthese-financement">
      <dt className={fr.cx('fr-text--bold')}>Total des financements</dt>
      <dd data-testid="total-financements">{formatEuros(total)}</dd>
      {parCategorie.map(([libelle, montant]) => (
        <Fragment key={libelle}>
          <dt>dont {libelle.toLowerCase()}</dt>
          <dd>{formatEuros(montant)}</dd>
        </Fragment>
      ))}
      <dt className={fr.cx('fr-text--bold')}>Prix de revient</dt>
      <dd>{formatEuros(coutTotal)}</dd>
      <dt className={fr.cx('fr-text--bold')}>Écart</dt>
      <dd data-testid="ecart-financement">{ecartLibelle(coutTotal, total, formatEuros)}</dd>
    </dl>
  );
}

function Lecture({ operation, lignes }: { operation: Operation; lignes: LigneFinancement[] }) {
  return (
    <>
      {lignes.length === 0 ? (
        <p>Aucun financement renseigné.</p>
      ) : (
        <Table
          caption="Plan de financement"
          headers={['Catégorie', 'Source', 'Financeur', 'Montant']}
          data={lignes.map((l) => [CATEGORIES_FINANCEMENT[l.categorie] ?? l.categorie, l.source, l.financeur ?? '—', formatEuros(l.montant)])}
        />
      )}
      <Synthese coutTotal={operation.cout_total} lignes={lignes.map(saisieOf)} />
    </>
  );
}

type Ligne = LigneSaisie & { cle: number };
type Erreurs = Record<number, Partial<Record<ChampLigne, string>>>;

/** One cell's control: a native input or select with DSFR classes, a label for screen readers naming the line, its error. */
function Cellule({
  ligne,
  numero,
  champ,
  erreur,
  onChange,
}: {
  ligne: Ligne;
  numero: number;
  champ: ChampLigne;
  erreur: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = `financement-${ligne.cle}-${champ}`;
  const select = champ === 'categorie';
  const group = select ? 'fr-select-group' : 'fr-input-group';
  const common = {
    id,
    name: `${champ}-${numero}`,
    value: ligne[champ],
    'aria-invalid': erreur ? true : undefined,
    'aria-describedby': erreur ? `${id}-erreur` : undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <div className={fr.cx(group, 'fr-mb-0', { 'fr-select-group--error': select && !!erreur, 'fr-input-group--error': !select && !!erreur })}>
      <label className={fr.cx('fr-label', 'fr-sr-only')} htmlFor={id}>
        {`${LIBELLES_CHAMPS_LIGNE[champ][0]!.toUpperCase()}${LIBELLES_CHAMPS_LIGNE[champ].slice(1)}${champ === 'montant' ? ' en euros' : ''}${champ === 'financeur' ? ' (facultatif)' : ''}, ligne ${numero}`}
      </label>
      {select ? (
        <select className={fr.cx('fr-select')} {...common}>
          <option value="">— Choisir —</option>
          {Object.entries(CATEGORIES_FINANCEMENT).map(([code, libelle]) => (
            <option key={code} value={code}>
              {libelle}
            </option>
          ))}
        </select>
      ) : (
        <input
          className={fr.cx('fr-input', { 'fr-input--error': !!erreur })}
          type="text"
          autoComplete="off"
          inputMode={champ === 'montant' ? 'decimal' : undefined}
          {...common}
        />
      )}
      {erreur && (
        <p id={`${id}-erreur`} className={fr.cx('fr-error-text')}>
          {erreur}
        </p>
      )}
    </div>
  );
}

function Edition({ operation, initiales, onSaved }: { operation: Operation; initiales: LigneFinancement[]; onSaved: (text: string) => Promise<void> }) {
  const prochaineCle = useRef(initiales.length);
  const [lignes, setLignes] = useState<Ligne[]>(() => initiales.map((l, i) => ({ ...saisieOf(l), cle: i })));
  const [erreurs, setErreurs] = useState<Erreurs>({});
  const [resume, setResume] = useState<string[]>([]);
  const { failure, busy, submit } = useSubmission();
  const ajouterRef = useRef<HTMLButtonElement>(null);

  const modifier = (cle: number, champ: ChampLigne, value: string) => setLignes((ls) => ls.map((l) => (l.cle === cle ? { ...l, [champ]: value } : l)));

  function ajouter() {
    const cle = prochaineCle.current++;
    setLignes((ls) => [...ls, { ...LIGNE_VIDE, cle }]);
    // The new line's first field takes the focus, so that keyboard users carry on typing.
    setTimeout(() => document.getElementById(`financement-${cle}-categorie`)?.focus(), 0);
  }

  function retirer(cle: number) {
    setLignes((ls) => ls.filter((l) => l.cle !== cle));
    setErreurs((e) => {
      const { [cle]: _retiree, ...reste } = e;
      return reste;
    });
    // The removed line's button is gone: the focus goes to "Ajouter une ligne".
    ajouterRef.current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trouvees: Erreurs = {};
    const messages: string[] = [];
    lignes.forEach((l, i) => {
      const e = erreursLigne(l);
      if (Object.keys(e).length === 0) return;
      trouvees[l.cle] = e;
      for (const [champ, message] of Object.entries(e)) messages.push(`Ligne ${i + 1}, ${LIBELLES_CHAMPS_LIGNE[champ as ChampLigne]} : ${message}`);
    });
    setErreurs(trouvees);
    setResume(messages);
    if (messages.length > 0) return;
    await submit(async () => {
      await api.patch<Operation>(`/api/v1/operations/${operation.id}`, { plan_financement: lignes.map(ligneOf) });
      await onSaved('Le plan de financement a été enregistré.');
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="financement-titre">
      <div aria-live="assertive">
        {resume.length > 0 && (
          <Alert
            className={fr.cx('fr-mb-3w')}
            severity="error"
            small
            description={
              <>
                Le plan de financement contient des erreurs :
                <ul>
                  {resume.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            }
          />
        )}
        {failure && <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={failure} />}
      </div>
      <p className={fr.cx('fr-text--sm')}>Montants en euros. Une ligne par source : prêts, subventions (par financeur), fonds propres.</p>
      {lignes.length === 0 ? (
        <p>Aucun financement renseigné. Ajoutez une ligne par source de financement.</p>
      ) : (
        <div className={fr.cx('fr-table', 'fr-table--no-scroll')}>
          <table className="atelier-financement">
            <caption>Plan de financement (modifiable)</caption>
            <thead>
              <tr>
                <th scope="col">Catégorie</th>
                <th scope="col">Source</th>
                <th scope="col">Financeur (facultatif)</th>
                <th scope="col">Montant (€)</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {lignes.map((l, i) => (
                <tr key={l.cle}>
                  {(['categorie', 'source', 'financeur', 'montant'] as const).map((champ) => (
                    <td key={champ}>
                      <Cellule ligne={l} numero={i + 1} champ={champ} erreur={erreurs[l.cle]?.[champ]} onChange={(v) => modifier(l.cle, champ, v)} />
                    </td>
                  ))}
                  <td>
                    <Button type="button" size="small" priority="tertiary" onClick={() => retirer(l.cle)}>
                      Retirer<span className={fr.cx('fr-sr-only')}> la ligne {i + 1}{l.source.trim() ? ` (${l.source.trim()})` : ''}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Synthese coutTotal={operation.cout_total} lignes={lignes} />
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-2w')}>
        <li>
          <Button ref={ajouterRef} type="button" priority="secondary" disabled={lignes.length >= MAX_LIGNES} onClick={ajouter}>
            Ajouter une ligne
          </Button>
        </li>
        <li>
          <Button type="submit" disabled={busy}>
            Enregistrer le plan de financement
          </Button>
        </li>
      </ul>
    </form>
  );
}

/**
 * The financing plan of an operation: an editable table (add and remove lines, totals, gap to the
 * cost price) for whoever may modify the operation, read-only for the others.
 */
export function PlanFinancement({ operation, onSaved }: { operation: Operation; onSaved: (text: string) => Promise<void> }) {
  const lignes = operation.plan_financement ?? [];
  return operation.policies.modifier ? <Edition operation={operation} initiales={lignes} onSaved={onSaved} /> : <Lecture operation={operation} lignes={lignes} />;
}
