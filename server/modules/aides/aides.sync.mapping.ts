/**
 * From an aid as aides-territoires' `/api/aids/` sends it to the catalogue's item format (the one
 * `parseCatalogue` checks, aides.catalogue.ts): audiences named as Atelier names them, the perimeter
 * given as {scale, code, name} from its name and scale, rich text turned into plain text.
 * Pure functions: the tables of names come from the caller (aides.sync.ts reads them once per run).
 */
import { audienceSlug } from '../../../shared/aides/referentiel.js';
import type { AideAt } from './aides-territoires.client.js';
import { slugify } from './aides.repository.js';

/** Lower case, no accents, no punctuation: how two spellings of a place name are compared. */
export const cle = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`-]/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * aides-territoires' audience names (its OrganizationType names; Django's aids/constants.py lists
 * the same) and slugs that Atelier's shared table does not already read. Local public companies
 * (SEM, SPL) are public bodies here; research and overseas special-status authorities have no
 * Atelier audience and are dropped.
 */
const PUBLICS_AT: Record<string, string> = {
  [cle('Intercommunalités / Pays')]: 'epci',
  [cle('Entreprises publiques locales (Sem, Spl, SemOp)')]: 'public-org',
  [cle('Établissements publics (écoles, bibliothèques…) / Services de l’État')]: 'public-org',
  [cle('Établissements publics (écoles, bibliothèques…)')]: 'public-org',
  'public cies': 'public-org',
  'public org': 'public-org',
  'private sector': 'private-sector',
  'private person': 'private-person',
};

export function publicsAtelier(noms: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of noms) {
    const slug = PUBLICS_AT[cle(n)] ?? audienceSlug(n) ?? audienceSlug(n.replace(/_/g, '-'));
    if (slug && !out.includes(slug)) out.push(slug);
  }
  return out;
}

const ENTITES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', rsquo: '’', lsquo: '‘', laquo: '«', raquo: '»', ldquo: '“', rdquo: '”',
  hellip: '…', euro: '€', ndash: '–', mdash: '—', eacute: 'é', egrave: 'è', ecirc: 'ê', agrave: 'à', acirc: 'â', ccedil: 'ç', icirc: 'î',
  ocirc: 'ô', ucirc: 'û', ugrave: 'ù', oelig: 'œ', Eacute: 'É', deg: '°', middot: '·', bull: '•',
};

/** aides-territoires' descriptions are HTML: the catalogue keeps their text, paragraphs and list items on their own lines. */
export function texteDeHtml(html: string | null | undefined): string {
  if (!html) return '';
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<p(\s[^>]*)?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|ul|ol|h[1-6]|tr|table|blockquote)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
      }
      return ENTITES[e] ?? m;
    })
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A link kept only when it is an http(s) URL (the catalogue refuses anything else). */
function lien(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    const x = new URL(u.trim());
    return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
  } catch {
    return null;
  }
}

/** Names and codes of the reference territory, read once per run. */
export interface Lieux {
  /** Region name key → INSEE region code. */
  regions: Map<string, { code: string; nom: string }>;
  /** Département name key → code. */
  departements: Map<string, { code: string; nom: string }>;
  /** EPCI name key → SIREN (of the loaded territory). */
  epci: Map<string, { code: string; nom: string }>;
  /** Commune name key → the communes of that name (of the loaded territory), with their département. */
  communes: Map<string, { code: string; nom: string; departement: string }[]>;
}

export interface Perimetre {
  scale: string;
  code: string;
  name: string;
}

/**
 * The perimeter of an upstream aid. The list item only gives the perimeter's name and scale; the
 * aid was listed for the served département `departement` (the API's `perimeter_id` filter keeps
 * aids whose perimeter contains it or lies in it), so a perimeter that cannot be placed more
 * precisely (ad-hoc, basin, an unknown name) is taken as that département.
 */
export function perimetreAtelier(a: Pick<AideAt, 'perimeter' | 'perimeter_scale'>, departement: { code: string; nom: string }, lieux: Lieux): Perimetre {
  const nom = (a.perimeter ?? '').trim();
  const k = cle(nom);
  switch (cle(a.perimeter_scale ?? '')) {
    case 'pays':
    case 'continent':
    case 'metropole':
      return { scale: 'Pays', code: 'FRA', name: nom || 'France' };
    case 'region': {
      const r = lieux.regions.get(k);
      if (r) return { scale: 'Région', code: r.code, name: nom };
      break;
    }
    case 'departement': {
      const d = lieux.departements.get(k);
      if (d) return { scale: 'Département', code: d.code, name: nom };
      break;
    }
    case 'epci': {
      const e = lieux.epci.get(k);
      if (e) return { scale: 'EPCI', code: e.code, name: nom };
      break;
    }
    case 'commune': {
      const cs = lieux.communes.get(k) ?? [];
      const ici = cs.filter((c) => c.departement === departement.code);
      const c = ici.length === 1 ? ici[0] : cs.length === 1 ? cs[0] : undefined;
      if (c) return { scale: 'Commune', code: c.code, name: nom };
      break;
    }
  }
  return { scale: 'Département', code: departement.code, name: nom || departement.nom };
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The catalogue item of an upstream aid, or why it is left out (French). */
export function itemCatalogue(a: AideAt, departement: { code: string; nom: string }, lieux: Lieux): { item: Record<string, unknown> } | { raison: string } {
  const publics = publicsAtelier(a.targeted_audiences ?? []);
  if (!publics.length) return { raison: `aucun public visé connu d’Atelier (${(a.targeted_audiences ?? []).join(', ') || 'aucun'})` };
  const slug = a.slug && SLUG.test(a.slug) && a.slug.length <= 200 ? a.slug : slugify(a.slug || a.name || String(a.id));
  const nombre = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
  const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);
  return {
    item: {
      id: String(a.id),
      slug,
      name: (a.name ?? '').trim(),
      short_title: a.short_title ?? null,
      financers: a.financers ?? [],
      instructors: a.instructors ?? [],
      programs: a.programs ?? [],
      aid_types: a.aid_types ?? [],
      targeted_audiences: publics,
      perimeter: perimetreAtelier(a, departement, lieux),
      categories: a.categories ?? [],
      description: texteDeHtml(a.description),
      eligibility: texteDeHtml(a.eligibility),
      mobilization_steps: a.mobilization_steps ?? [],
      recurrence: a.recurrence ?? null,
      is_call_for_project: a.is_call_for_project ?? false,
      start_date: date(a.start_date),
      submission_deadline: date(a.submission_deadline),
      subvention_rate_lower_bound: nombre(a.subvention_rate_lower_bound),
      subvention_rate_upper_bound: nombre(a.subvention_rate_upper_bound),
      loan_amount: nombre(a.loan_amount),
      origin_url: lien(a.origin_url),
      application_url: lien(a.application_url),
    },
  };
}
