import { describe, expect, it } from 'vitest';
import { detecterSrid, raisonInvalide, SRID_LAMBERT93, SRID_WGS84 } from './geometrie.js';

describe('projection detection', () => {
  it('reads the crs member in its usual spellings', () => {
    expect(detecterSrid({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } }, undefined)).toBe(SRID_LAMBERT93);
    expect(detecterSrid({ type: 'name', properties: { name: 'EPSG:2154' } }, undefined)).toBe(SRID_LAMBERT93);
    expect(detecterSrid({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, undefined)).toBe(SRID_WGS84);
    expect(detecterSrid({ type: 'name', properties: { name: 'EPSG:4326' } }, undefined)).toBe(SRID_WGS84);
    expect(detecterSrid({ type: 'name', properties: { name: 'EPSG:27572' } }, undefined)).toMatchObject({ erreur: expect.stringMatching(/non prise en charge/) });
  });

  it('falls back on the coordinates’ ranges', () => {
    expect(detecterSrid(undefined, [4.36, 43.84])).toBe(SRID_WGS84);
    expect(detecterSrid(undefined, [810_000, 6_302_000])).toBe(SRID_LAMBERT93);
    expect(detecterSrid(undefined, [5_000_000, 100])).toMatchObject({ erreur: expect.stringMatching(/ni en degrés WGS84 ni en Lambert-93/) });
    expect(detecterSrid(undefined, undefined)).toBe(SRID_WGS84);
  });
});

describe('validity reasons in French', () => {
  it('translates PostGIS reasons and keeps the location', () => {
    expect(raisonInvalide('Self-intersection[4.3601 43.8367]')).toBe('Polygone auto-intersecté : ses côtés se croisent (près du point 4.360100 43.836700).');
    expect(raisonInvalide('Ring Self-intersection[1 2]')).toMatch(/^Polygone auto-intersecté/);
    expect(raisonInvalide('Too few points in geometry component[1 2]')).toMatch(/^Polygone dégénéré/);
    expect(raisonInvalide('Hole lies outside shell[1 2]')).toMatch(/trou du polygone est en dehors/);
    expect(raisonInvalide('Something else')).toBe('Géométrie invalide (Something else).');
  });
});
