/**
 * The public page of a commune (issue 15): the eligibility simulator as a GET form answered by the
 * server, how to apply, the commune's social housing facts with their source, the aids search, and
 * (full page only) the snippet that embeds the page in the commune's own website. Plain French.
 */
import { formatEuros } from '../../../shared/logement-social/eligibilite.js';
import { ANNEES, PRODUITS, PRODUIT_LIBELLES, ZONE_LIBELLES } from '../../../shared/logement-social/plafonds.js';
import { zoneDeCommune } from '../../../shared/logement-social/zone.js';
import { esc, pageHtml } from './logement-social.html.js';
import type { Formulaire, PageCommune, Saisie } from './logement-social.service.js';

export const DEMANDE_EN_LIGNE = 'https://www.demande-logement-social.gouv.fr';

export interface Options {
  embed: boolean;
  /** Scheme, host and port the page was asked on, for the embed snippet. */
  origine: string;
}

const formatPercent = (v: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(v * 100)} %`;
const formatInteger = (v: number) => new Intl.NumberFormat('fr-FR').format(v).replace(/\u202f/g, '\u00a0');
const formatBoolean = (v: boolean | null) => (v === null ? 'non renseigné' : v ? 'oui' : 'non');

/** A link out of the page: in the embed it opens a new window (the frame is not the visitor's site), and says so. */
function link(href: string, label: string, o: Options): string {
  return o.embed
    ? `<a href="${esc(href)}" target="_blank" rel="noopener" title="${esc(label)} — nouvelle fenêtre">${esc(label)}</a>`
    : `<a href="${esc(href)}">${esc(label)}</a>`;
}

export function renderPage(p: PageCommune, o: Options): string {
  const { commune } = p;
  const corps = [
    `<h1>Le logement social à ${esc(commune.nom)}</h1>`,
    `<p class="fr-text--lead">Êtes-vous concerné par un logement social, comment faire votre demande, et où en est la commune : les réponses pour ${esc(commune.nom)} (${esc(commune.code_insee)}).</p>`,
    simulateur(p, o),
    demande(p, o),
    situation(p, o),
    aides(p, o),
    o.embed ? '' : integration(p, o),
  ].join('\n');
  return pageHtml({
    titre: `Logement social à ${commune.nom} — Atelier`,
    embed: o.embed,
    tagline: `Le logement social${commune.departement_nom ? ` — ${commune.departement_nom}` : ''}`,
    corps,
  });
}

function textField(
  f: Formulaire,
  nom: keyof Saisie,
  libelle: string,
  aide: string,
  attributs: string,
): string {
  const erreur = f.erreurs[nom];
  const decrit = [`${nom}-aide`, erreur ? `${nom}-erreur` : ''].filter(Boolean).join(' ');
  return `<div class="fr-input-group${erreur ? ' fr-input-group--error' : ''}">
<label class="fr-label" for="${nom}">${esc(libelle)}<span class="fr-hint-text" id="${nom}-aide">${esc(aide)}</span></label>
<input class="fr-input${erreur ? ' fr-input--error' : ''}" id="${nom}" name="${nom}" value="${esc(f.saisie[nom])}" ${attributs} aria-describedby="${decrit}"${erreur ? ' aria-invalid="true"' : ''}>
${erreur ? `<p class="fr-error-text" id="${nom}-erreur">${esc(erreur)}</p>` : ''}
</div>`;
}

function simulateur(p: PageCommune, o: Options): string {
  const f = p.formulaire;
  const action = `${o.embed ? '/embed' : ''}/logement-social/${p.commune.code_insee}`;
  const zone = zoneDeCommune(p.commune.code_insee);
  const erreurs = Object.entries(f.erreurs);
  const resume = erreurs.length
    ? `<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h3 class="fr-alert__title">Le formulaire contient ${erreurs.length} erreur${erreurs.length > 1 ? 's' : ''}</h3><ul>${erreurs
        .map(([champ, m]) => `<li><a href="#${esc(champ)}">${esc(m)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const anneeErreur = f.erreurs.annee;
  const options = ANNEES.map(
    (a) => `<option value="${a}"${String(a) === f.saisie.annee ? ' selected' : ''}>${a} (revenus ${a - 2}, avis d’impôt ${a - 1})</option>`,
  ).join('');
  const case_ = (nom: 'handicap' | 'jeune_menage', libelle: string, aide: string) => `<div class="fr-fieldset__element"><div class="fr-checkbox-group">
<input type="checkbox" id="${nom}" name="${nom}" value="true"${f.saisie[nom] ? ' checked' : ''} aria-describedby="${nom}-aide">
<label class="fr-label" for="${nom}">${esc(libelle)}<span class="fr-hint-text" id="${nom}-aide">${esc(aide)}</span></label></div></div>`;

  return `<section class="fr-mt-4w" aria-labelledby="simulateur-titre" id="simulateur">
<h2 id="simulateur-titre">Suis-je éligible à un logement social ?</h2>
<p>Les logements sociaux sont réservés aux ménages dont les revenus ne dépassent pas un plafond, fixé chaque année par arrêté. Ce plafond dépend du nombre de personnes à loger et de la commune : ${esc(p.commune.nom)} est dans la zone « ${esc(ZONE_LIBELLES[zone])} ».</p>
${resume}
<form method="get" action="${esc(action)}#resultat" novalidate>
<div class="fr-select-group${anneeErreur ? ' fr-select-group--error' : ''}">
<label class="fr-label" for="annee">Année de votre demande<span class="fr-hint-text" id="annee-aide">Les plafonds d’une année s’appliquent aux revenus de l’avant-dernière année.</span></label>
<select class="fr-select" id="annee" name="annee" aria-describedby="annee-aide${anneeErreur ? ' annee-erreur' : ''}">${options}</select>
${anneeErreur ? `<p class="fr-error-text" id="annee-erreur">${esc(anneeErreur)}</p>` : ''}
</div>
${textField(f, 'personnes', 'Nombre de personnes à loger', 'Vous compris, avec votre conjoint ou codemandeur et les personnes à charge.', 'type="number" inputmode="numeric" min="1" max="30" step="1" autocomplete="off"')}
${textField(f, 'personnes_a_charge', 'Dont personnes à charge (facultatif)', 'Enfants de moins de 21 ans, étudiants de moins de 25 ans, enfants handicapés… figurant sur l’avis d’impôt. 0 s’il n’y en a pas.', 'type="number" inputmode="numeric" min="0" max="29" step="1" autocomplete="off"')}
${textField(f, 'revenu_fiscal', 'Revenu fiscal de référence, en euros', 'Le total des revenus fiscaux de référence de toutes les personnes à loger, inscrit sur l’avis d’impôt (par exemple 25 000).', 'type="text" inputmode="decimal" autocomplete="off" spellcheck="false"')}
<fieldset class="fr-fieldset" id="situation" aria-labelledby="situation-legende">
<legend class="fr-fieldset__legend" id="situation-legende">Situation particulière (facultatif)</legend>
${case_('handicap', 'Au moins une personne à loger est en situation de handicap', 'Titulaire de la carte mobilité inclusion portant la mention « invalidité ».')}
${case_('jeune_menage', 'Nous sommes un jeune ménage', 'Un couple sans personne à charge, dont la somme des deux âges ne dépasse pas 55 ans.')}
</fieldset>
<button class="fr-btn" type="submit">Vérifier mon éligibilité</button>
</form>
${f.resultat ? resultat(f, o) : ''}
</section>`;
}

function resultat(f: Formulaire, o: Options): string {
  const r = f.resultat!;
  const lignes = PRODUITS.map((produit) => {
    const plafond = r.plafonds[produit];
    const ok = r.eligible[produit];
    const situation =
      ok === null
        ? 'Plafond non disponible'
        : ok
          ? `<p class="fr-badge fr-badge--success fr-badge--no-icon">Éligible</p>`
          : `<p class="fr-badge fr-badge--error fr-badge--no-icon">Revenus au-dessus du plafond</p>`;
    return `<tr><th scope="row">${esc(PRODUIT_LIBELLES[produit])}</th><td>${plafond === null ? 'Non disponible (aucune source officielle chargée)' : esc(formatEuros(plafond))}</td><td>${situation}</td></tr>`;
  }).join('');
  const jorf = r.source.jorf ? ` (${esc(r.source.jorf)})` : '';
  return `<div class="fr-mt-4w" id="resultat" tabindex="-1" role="region" aria-labelledby="resultat-titre">
<h3 id="resultat-titre">Résultat : catégorie de ménage ${r.categorie}${r.personnes_supplementaires ? ` et ${r.personnes_supplementaires} personne(s) supplémentaire(s)` : ''}</h3>
<div class="fr-table fr-table--no-scroll"><table>
<caption>Plafonds de ressources ${r.annee} pour votre ménage, zone « ${esc(r.zone_libelle)} »</caption>
<thead><tr><th scope="col">Type de logement social</th><th scope="col">Plafond annuel</th><th scope="col">Avec ${esc(formatEuros(r.revenu_fiscal))}</th></tr></thead>
<tbody>${lignes}</tbody></table></div>
<ul>${r.explication.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>
<p class="fr-text--sm">Source : ${link(r.source.url, r.source.texte, o)}${jorf}, modifiant l’${link(r.source.arrete_de_base.url, 'arrêté du 29 juillet 1987', o)}. Ce résultat est une estimation : le bailleur vérifie votre dossier.</p>
</div>`;
}

function demande(p: PageCommune, o: Options): string {
  const epci = p.commune.epci_nom
    ? `<p>${esc(p.commune.nom)} fait partie de l’intercommunalité ${esc(p.commune.epci_nom)}, qui participe à l’attribution des logements sociaux de son territoire.</p>`
    : '';
  return `<section class="fr-mt-6w" aria-labelledby="demande-titre">
<h2 id="demande-titre">Comment faire une demande ?</h2>
<ul>
<li><strong>En ligne</strong> : sur le site national ${link(DEMANDE_EN_LIGNE, 'demande-logement-social.gouv.fr', o)}. Préparez une pièce d’identité et votre dernier avis d’impôt.</li>
<li><strong>Au guichet</strong> : auprès d’un bailleur social ou d’un lieu d’enregistrement (certaines mairies en sont un). Demandez à votre mairie où déposer votre demande.</li>
</ul>
<p>Votre demande reçoit un numéro unique. Elle est valable un an : pensez à la renouveler chaque année, et à la mettre à jour si votre situation change.</p>
${epci}
</section>`;
}

function situation(p: PageCommune, o: Options): string {
  const s = p.sru;
  if (!s) {
    return `<section class="fr-mt-6w" aria-labelledby="commune-titre">
<h2 id="commune-titre">Le logement social dans la commune</h2>
<p>Aucune source officielle n’est encore chargée pour les logements sociaux de ${esc(p.commune.nom)} (inventaire SRU publié par l’État) : aucun chiffre n’est donc affiché ici.</p>
</section>`;
  }
  const faits: [string, string][] = [];
  if (s.nb_lls !== null) faits.push(['Logements locatifs sociaux recensés', formatInteger(s.nb_lls)]);
  if (s.taux_sru !== null) faits.push(['Part de logements sociaux (taux SRU)', formatPercent(s.taux_sru)]);
  if (s.taux_cible !== null) faits.push(['Objectif fixé par la loi SRU', formatPercent(s.taux_cible)]);
  faits.push(['Commune déficitaire (sous l’objectif)', formatBoolean(s.deficitaire)]);
  faits.push(['Commune carencée par le préfet', formatBoolean(s.carencee)]);
  if (s.exemptee) faits.push(['Commune exemptée', 'oui']);
  return `<section class="fr-mt-6w" aria-labelledby="commune-titre">
<h2 id="commune-titre">Le logement social dans la commune</h2>
<div class="fr-table fr-table--no-scroll"><table>
<caption>Situation de ${esc(p.commune.nom)} au regard de la loi SRU — inventaire ${s.millesime}</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th></tr></thead>
<tbody>${faits.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table></div>
<p class="fr-text--sm">Source : ${link('https://www.data.gouv.fr/datasets/communes-et-inventaire-sru', 'inventaire SRU officiel « Communes et inventaire SRU »', o)} (ministère chargé du logement, Licence Ouverte), millésime ${s.millesime}, fichier « ${esc(s.fichier)} » importé le ${esc(s.importe_le)}.</p>
</section>`;
}

function aides(p: PageCommune, o: Options): string {
  return `<section class="fr-mt-6w" aria-labelledby="aides-titre">
<h2 id="aides-titre">Pour les porteurs de projets</h2>
<p>Collectivités, bailleurs : ${link(`/aides?perimetre=${p.commune.code_insee}`, `rechercher les aides au financement du logement social à ${p.commune.nom}`, o)}.</p>
</section>`;
}

function integration(p: PageCommune, o: Options): string {
  // The snippet is HTML to copy: the name is escaped inside it, then the whole is escaped for display.
  const page = `${o.origine}/logement-social/${p.commune.code_insee}`;
  const snippet = `<iframe src="${o.origine}/embed/logement-social/${p.commune.code_insee}" title="Le logement social à ${esc(p.commune.nom)}" data-atelier-logement-social style="width: 100%; border: 0;" height="1200" loading="lazy"></iframe>
<script src="${o.origine}/embed/logement-social.js" async></script>
<p><a href="${page}">Le logement social à ${esc(p.commune.nom)} : éligibilité, demande, chiffres</a></p>`;
  return `<section class="fr-mt-6w" aria-labelledby="integrer-titre">
<h2 id="integrer-titre">Intégrer cette page au site de la commune</h2>
<p>Copiez ce code dans une page du site de ${esc(p.commune.nom)}. Le cadre s’ajuste à la hauteur de son contenu ; le lien en dessous reste utilisable si le cadre ne s’affiche pas.</p>
<pre class="fr-p-2w" style="white-space: pre-wrap; overflow-wrap: anywhere;" tabindex="0" aria-label="Code à copier pour intégrer la page"><code>${esc(snippet)}</code></pre>
<p>${link(`/embed/logement-social/${p.commune.code_insee}`, 'Voir l’aperçu de la page intégrée', o)}</p>
</section>`;
}
