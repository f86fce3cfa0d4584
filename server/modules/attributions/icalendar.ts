/**
 * A small RFC 5545 writer for the calendar feeds: events in Europe/Paris local time with the
 * zone's VTIMEZONE, SEQUENCE, STATUS, TEXT escaping (§3.3.11) and line folding at 75 octets
 * without splitting a UTF-8 character (§3.1). Written here rather than with ical-generator, which
 * without a time-zone library writes the server's clock time under TZID=Europe/Paris (an hour or
 * two off) and a DTSTAMP without its `Z`.
 */

export const FUSEAU = 'Europe/Paris';

/** Europe/Paris since 1996 (EU rule: last Sunday of March and of October). */
const VTIMEZONE_PARIS = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export interface Evenement {
  uid: string;
  debut: Date;
  fin: Date;
  resume: string;
  description?: string;
  lieu?: string | null;
  url?: string;
  /** RFC 5545 SEQUENCE: incremented on each change. */
  sequence: number;
  annule: boolean;
  creeLe: Date;
  modifieLe: Date;
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function echapper(texte: string): string {
  return texte.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets (continuation lines start with a space), never inside a UTF-8 character. */
export function plier(ligne: string): string {
  const out: string[] = [];
  let courant = '';
  let octets = 0;
  let limite = 75;
  for (const c of ligne) {
    const n = Buffer.byteLength(c, 'utf8');
    if (octets + n > limite) {
      out.push(courant);
      courant = ' ';
      octets = 1;
      limite = 75;
    }
    courant += c;
    octets += n;
  }
  out.push(courant);
  return out.join('\r\n');
}

const deux = (n: number) => String(n).padStart(2, '0');
const PARIS = new Intl.DateTimeFormat('en-GB', { timeZone: FUSEAU, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Local time in Europe/Paris, as DATE-TIME without zone (to go with TZID). */
export function heureParis(d: Date): string {
  const p = Object.fromEntries(PARIS.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}

/** UTC DATE-TIME (`…Z`). */
export function heureUtc(d: Date): string {
  return `${d.getUTCFullYear()}${deux(d.getUTCMonth() + 1)}${deux(d.getUTCDate())}T${deux(d.getUTCHours())}${deux(d.getUTCMinutes())}${deux(d.getUTCSeconds())}Z`;
}

/** A whole VCALENDAR (METHOD:PUBLISH: a subscribed feed, not an invitation), CRLF line endings. */
export function calendrier(nom: string, evenements: Evenement[]): string {
  const lignes = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Atelier//Calendrier des attributions//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${echapper(nom)}`,
    `X-WR-TIMEZONE:${FUSEAU}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...VTIMEZONE_PARIS,
  ];
  for (const e of evenements) {
    lignes.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${heureUtc(e.modifieLe)}`,
      `CREATED:${heureUtc(e.creeLe)}`,
      `LAST-MODIFIED:${heureUtc(e.modifieLe)}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTART;TZID=${FUSEAU}:${heureParis(e.debut)}`,
      `DTEND;TZID=${FUSEAU}:${heureParis(e.fin)}`,
      `SUMMARY:${echapper(e.annule ? `ANNULÉ — ${e.resume}` : e.resume)}`,
      ...(e.description ? [`DESCRIPTION:${echapper(e.description)}`] : []),
      ...(e.lieu ? [`LOCATION:${echapper(e.lieu)}`] : []),
      ...(e.url ? [`URL:${e.url}`] : []),
      `STATUS:${e.annule ? 'CANCELLED' : 'CONFIRMED'}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lignes.push('END:VCALENDAR');
  return lignes.map(plier).join('\r\n') + '\r\n';
}
