import { describe, expect, it } from 'vitest';
import { checkAllowList, decide, readReport } from '../scripts/lib/audit.mjs';

/** The shape of `npm audit --json` (report version 2), trimmed. */
const report = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    'paquet-a': { name: 'paquet-a', severity: 'high', via: [{ source: 1096300, name: 'paquet-a', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'high' }] },
    'paquet-b': { name: 'paquet-b', severity: 'critical', via: ['paquet-a', { source: 1096301, name: 'paquet-b', title: 'RCE', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff', severity: 'critical' }] },
    'paquet-c': { name: 'paquet-c', severity: 'moderate', via: [{ source: 1096302, name: 'paquet-c', title: 'ReDoS', url: '', severity: 'moderate' }] },
  },
  metadata: {},
});

describe('dependency audit', () => {
  it('blocks on high and critical advisories only, unless accepted by number or GHSA', () => {
    const r = readReport(report);
    expect(r.advisories!.map((a) => a.id).sort()).toEqual([1096300, 1096301]);
    expect(decide(r.advisories!, []).blocking).toHaveLength(2);
    const allow = [{ id: 'GHSA-aaaa-bbbb-cccc', raison: 'code path not reachable from Atelier', date: '2026-12-03' }, { id: 42, raison: 'old acceptance, fixed since', date: '2026-01-01' }];
    const d = decide(r.advisories!, allow);
    expect(d.blocking.map((a) => a.paquet)).toEqual(['paquet-b']);
    expect(d.stale.map((e) => e.id)).toEqual([42]);
  });

  it('tells an unreachable audit service from a report, without quoting its address', () => {
    const r = readReport(JSON.stringify({ message: '405 Method Not Allowed - POST https://registre.example/-/npm/v1/security/advisories/bulk', statusCode: 405 }));
    expect(r.unavailable).toBe('405 Method Not Allowed - POST <service d’audit>');
    expect(readReport('not json').unavailable).toBe('réponse illisible de npm audit');
  });

  it('refuses an allow-list entry without its reason or date', () => {
    expect(checkAllowList([{ id: 1, raison: 'x', date: 'hier' }])).toEqual([
      'entrée 1 : « raison » manquante ou trop courte',
      'entrée 1 : « date » attendue au format AAAA-MM-JJ',
    ]);
    expect(checkAllowList([{ id: 'GHSA-x', raison: 'not reachable from our code', date: '2026-12-03' }])).toEqual([]);
  });
});
