import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readTerritoire, UnknownDepartementError } from '../server/modules/referentiel/referentiel.loader.js';

const require = createRequire(import.meta.url);

describe('reference territory files', () => {
  it('ships the Gard: 350 communes with contours, 17 EPCI, consistent with the COG 2026 package', () => {
    const t = readTerritoire('30');
    expect(t.contours).toBe(true);
    expect(t.communes).toHaveLength(350);
    expect(t.epci).toHaveLength(17);
    expect(t.communes.every((c) => c.geometry !== null && c.epci_siren !== null)).toBe(true);
    const pkg = (require('@etalab/decoupage-administratif/data/communes.json') as { code: string; departement: string; type: string; nom: string }[]).filter(
      (c) => c.departement === '30' && c.type === 'commune-actuelle',
    );
    expect(new Set(t.communes.map((c) => c.code_insee))).toEqual(new Set(pkg.map((c) => c.code)));
    const names = new Map(pkg.map((c) => [c.code, c.nom]));
    for (const c of t.communes) expect(c.nom).toBe(names.get(c.code_insee));
  });

  it('loads any other département from the COG package alone, without contours', () => {
    const t = readTerritoire('48'); // Lozère
    expect(t.contours).toBe(false);
    expect(t.departement.nom).toBe('Lozère');
    expect(t.communes.length).toBeGreaterThan(100);
    expect(t.communes.every((c) => c.geometry === null)).toBe(true);
    // CC Mont Lozère spans the Gard and the Lozère: it appears in both.
    expect(t.epci.map((e) => e.siren)).toContain('200069128');
    expect(readTerritoire('30').epci.map((e) => e.siren)).toContain('200069128');
  });

  it('refuses an unknown département code', () => {
    expect(() => readTerritoire('99')).toThrow(UnknownDepartementError);
  });
});
