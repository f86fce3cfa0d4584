import type { Me } from './api';

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });
const integer = new Intl.NumberFormat('fr-FR');

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTime.format(d);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : date.format(d);
}

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : integer.format(value);
}

/** "Département du Gard (30)", "EPCI : CA de Nîmes Métropole"… */
export function formatScope(me: Me): string {
  const { scope } = me;
  const named = (label: string) =>
    scope.nom ? `${label} : ${scope.nom}${scope.code ? ` (${scope.code})` : ''}` : `${label}${scope.code ? ` ${scope.code}` : ''}`;
  switch (scope.type) {
    case 'national':
      return 'National (tous les départements)';
    case 'departement':
      return named('Département');
    case 'epci':
      return named('EPCI');
    case 'commune':
      return named('Commune');
    case 'organisation':
      return me.organisation ? `Organisation : ${me.organisation.nom}` : named('Organisation');
  }
}

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 2 });

/** "1 250 000 €", "12 500,50 €". */
export function formatEuros(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : euros.format(value);
}

/** Today in Paris as AAAA-MM-JJ (the value of a date field), whatever the browser's zone. */
export function today(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
}

/** A value found in an imported file, as text for an error table ('—' when empty). */
export function formatValeur(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
