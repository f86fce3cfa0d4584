import type { FrIconClassName, RiIconClassName } from '@codegouvfr/react-dsfr/fr';

/** Who may open a section: anyone, any signed-in user, or holders of one permission. */
export type Access = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: string };

export type Section = {
  path: string;
  /** Label in the navigation. */
  label: string;
  /** Title of the home tile. */
  title: string;
  description: string;
  iconId: FrIconClassName | RiIconClassName;
  access: Access;
  /** Shown in the header navigation (the account page is a quick-access link instead). */
  inNavigation: boolean;
};

/**
 * The sections of the UI. Whether a user sees one is decided from the `permissions` array that
 * `/api/v1/me` returns, never from the role: the server owns the grants table.
 */
export const SECTIONS: Section[] = [
  {
    path: '/carte',
    label: 'Carte',
    title: 'Carte des communes',
    description: 'Les communes du territoire et leurs EPCI, avec la fiche de chaque commune.',
    iconId: 'fr-icon-map-pin-2-line',
    access: { kind: 'public' },
    inNavigation: true,
  },
  {
    path: '/aides',
    label: 'Aides',
    title: 'Aides au financement',
    description: 'Les aides au logement social, cherchées avec vos mots ; les aides d’un projet ; les alertes par courriel.',
    iconId: 'fr-icon-money-euro-circle-line',
    access: { kind: 'public' },
    inNavigation: true,
  },
  {
    path: '/aides/espace',
    label: 'Mes aides',
    title: 'Mes aides',
    description: 'Les aides de votre organisme : rédiger, soumettre à la DDTM, confirmer, suivre les vues et les clics.',
    iconId: 'fr-icon-edit-box-line',
    access: { kind: 'permission', permission: 'aides:write' },
    inNavigation: true,
  },
  {
    path: '/operations',
    label: 'Opérations',
    title: 'Opérations',
    description: 'Le registre des opérations de logement social : étapes, blocages, import et export.',
    iconId: 'fr-icon-home-4-line',
    access: { kind: 'permission', permission: 'operations:read' },
    inNavigation: true,
  },
  {
    path: '/foncier',
    label: 'Foncier',
    title: 'Foncier',
    description: 'Les gisements fonciers sur la carte, l’observatoire par EPCI et par commune, l’import.',
    iconId: 'fr-icon-road-map-line',
    access: { kind: 'permission', permission: 'foncier:read' },
    inNavigation: true,
  },
  {
    path: '/revues',
    label: 'Revues de projet',
    title: 'Revues de projet',
    description: 'Les revues de projet par EPCI : ordre du jour, décisions, actions et arbitrages.',
    iconId: 'fr-icon-calendar-line',
    access: { kind: 'permission', permission: 'revues:read' },
    inNavigation: true,
  },
  {
    path: '/attributions/calendrier',
    label: 'Attributions',
    title: 'Attributions',
    description: 'Le calendrier des CALEOL et l’abonnement de votre agenda, les logements libérés, les livraisons à venir.',
    iconId: 'fr-icon-calendar-event-line',
    access: { kind: 'permission', permission: 'attributions:read' },
    inNavigation: true,
  },
  {
    path: '/rapports/cdhh',
    label: 'Rapport CDHH',
    title: 'Rapport CDHH',
    description: 'Le rapport annuel au comité départemental de l’habitat et de l’hébergement, en HTML, PDF ou DOCX.',
    iconId: 'fr-icon-article-line',
    access: { kind: 'permission', permission: 'rapports:cdhh' },
    inNavigation: true,
  },
  {
    path: '/aides/revue',
    label: 'Revue des aides',
    title: 'Revue des aides',
    description: 'Publier les aides des financeurs, suivre la campagne, les statistiques des recherches et le vocabulaire.',
    iconId: 'fr-icon-checkbox-circle-line',
    access: { kind: 'permission', permission: 'aides:review' },
    inNavigation: true,
  },
  {
    path: '/organisations',
    label: 'Organisations',
    title: 'Organisations',
    description: 'Les services de l’État, collectivités, bailleurs, financeurs et EPF du département.',
    iconId: 'fr-icon-building-line',
    access: { kind: 'permission', permission: 'organisations:read' },
    inNavigation: true,
  },
  {
    path: '/admin/utilisateurs',
    label: 'Utilisateurs',
    title: 'Utilisateurs',
    description: 'Les comptes de la plateforme, leur rôle et leur périmètre.',
    iconId: 'fr-icon-team-line',
    access: { kind: 'permission', permission: 'users:read' },
    inNavigation: true,
  },
  {
    path: '/journal',
    label: 'Journal d’audit',
    title: 'Journal d’audit',
    description: 'Qui a modifié quoi, et quand : chaque écriture est tracée.',
    iconId: 'fr-icon-file-text-line',
    access: { kind: 'permission', permission: 'audit:read' },
    inNavigation: true,
  },
  {
    path: '/compte',
    label: 'Mon compte',
    title: 'Mon compte',
    description: 'Vos informations et vos jetons d’accès à l’API.',
    iconId: 'fr-icon-account-circle-line',
    access: { kind: 'signed-in' },
    inNavigation: false,
  },
];

export function isAllowed(access: Access, signedIn: boolean, can: (permission: string) => boolean): boolean {
  switch (access.kind) {
    case 'public':
      return true;
    case 'signed-in':
      return signedIn;
    case 'permission':
      return signedIn && can(access.permission);
  }
}
