/**
 * HTML building blocks for the server-rendered public pages: escaping and the DSFR page frame
 * (header and footer on the full page, none in the embed). No inline script or style: the
 * Content-Security-Policy stays `script-src 'self'`.
 */

const ENTITES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ENTITES[c]!);

/** DSFR files copied into the built UI (web/vite.config.ts, under /dsfr). */
const DSFR_CSS = '/dsfr/dsfr.min.css';

export interface Cadre {
  titre: string;
  /** Full page (header, footer) or embed (content only, resize script). */
  embed: boolean;
  tagline: string;
  corps: string;
}

export function pageHtml(c: Cadre): string {
  const entete = c.embed
    ? ''
    : `<div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="Accès rapide"><ul class="fr-skiplinks__list">
<li><a class="fr-link" href="#contenu">Contenu</a></li><li><a class="fr-link" href="#simulateur">Simulateur d’éligibilité</a></li></ul></nav></div>
<header role="banner" class="fr-header"><div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand fr-enlarge-link"><div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div></div>
<div class="fr-header__service"><a href="/" title="Accueil — Atelier"><p class="fr-header__service-title">Atelier</p></a>
<p class="fr-header__service-tagline">${esc(c.tagline)}</p></div></div></div></div></div></header>`;
  const pied = c.embed
    ? ''
    : `<footer class="fr-footer" role="contentinfo" id="pied"><div class="fr-container"><div class="fr-footer__body">
<div class="fr-footer__brand fr-enlarge-link"><a href="/" title="Accueil — Atelier"><p class="fr-logo">République<br>Française</p></a></div>
<div class="fr-footer__content"><p class="fr-footer__content-desc">Page publique d’Atelier, la plateforme partagée des acteurs de la production de logement social. Les plafonds viennent des arrêtés publiés au Journal officiel ; les chiffres de la commune, de l’inventaire SRU officiel quand il est chargé.</p></div></div>
<div class="fr-footer__bottom"><ul class="fr-footer__bottom-list"><li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité : non conforme</a></li></ul></div></div></footer>`;
  const script = c.embed ? '<script src="/embed/logement-social-hauteur.js" defer></script>' : '';
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(c.titre)}</title>
<link rel="stylesheet" href="${DSFR_CSS}">
<link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml">
${script}
</head>
<body>
${entete}
<main role="main" id="contenu" tabindex="-1"><div class="fr-container fr-py-4w" id="cadre">
${c.corps}
</div></main>
${pied}
</body>
</html>
`;
}
