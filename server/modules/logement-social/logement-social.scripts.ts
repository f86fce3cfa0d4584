/**
 * The two small scripts of the embed (served as files: the CSP forbids inline scripts).
 * - Inside the frame: posts the content's height to the parent page whenever it changes.
 * - On the host site (loaded by the copy-paste snippet): sets the height of the frames that come
 *   from this platform, checking the message's origin and source frame.
 */
export const MESSAGE_HAUTEUR = 'atelier-logement-social:hauteur';

export const SCRIPT_HAUTEUR = `(function () {
  'use strict';
  if (window.parent === window) return;
  var dernier = 0;
  function envoyer() {
    var cadre = document.getElementById('cadre');
    var bas = cadre ? cadre.getBoundingClientRect().bottom + window.scrollY : document.body.scrollHeight;
    var hauteur = Math.ceil(bas);
    if (hauteur === dernier) return;
    dernier = hauteur;
    window.parent.postMessage({ type: '${MESSAGE_HAUTEUR}', hauteur: hauteur }, '*');
  }
  window.addEventListener('load', envoyer);
  window.addEventListener('resize', envoyer);
  if ('ResizeObserver' in window) new ResizeObserver(envoyer).observe(document.body);
  envoyer();
})();
`;

export const SCRIPT_PARENT = `(function () {
  'use strict';
  var script = document.currentScript;
  var origine = script && script.src ? new URL(script.src).origin : null;
  window.addEventListener('message', function (e) {
    if (!origine || e.origin !== origine || !e.data || e.data.type !== '${MESSAGE_HAUTEUR}') return;
    var hauteur = Number(e.data.hauteur);
    if (!(hauteur > 0 && hauteur < 100000)) return;
    var cadres = document.querySelectorAll('iframe[data-atelier-logement-social]');
    for (var i = 0; i < cadres.length; i++) {
      if (cadres[i].contentWindow === e.source) cadres[i].style.height = hauteur + 'px';
    }
  });
})();
`;
