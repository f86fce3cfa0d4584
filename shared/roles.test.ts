import { describe, expect, it } from 'vitest';
import { can, grants, PERMISSIONS, ROLES, SCOPE_KIND } from './roles.js';

describe('permissions table', () => {
  it('gives every permission to administrators', () => {
    for (const p of PERMISSIONS) expect(can('admin', p)).toBe(true);
  });

  it('lets only administrators manage accounts and load reference data', () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(can(role, 'users:manage')).toBe(false);
      expect(can(role, 'referentiel:manage')).toBe(false);
    }
  });

  it('lets State agents read accounts and the audit log of their département; no one else below admin', () => {
    expect(can('agent_etat', 'audit:read')).toBe(true);
    expect(can('agent_etat', 'users:read')).toBe(true);
    for (const role of ['agent_epci', 'commune', 'bailleur', 'financeur', 'epf'] as const) {
      expect(can(role, 'audit:read')).toBe(false);
      expect(can(role, 'users:read')).toBe(false);
    }
  });

  it('opens the operations register to State, EPCI, communes and landlords, not to financers or the EPF', () => {
    for (const role of ['agent_etat', 'agent_epci', 'commune', 'bailleur'] as const) {
      expect(can(role, 'operations:read')).toBe(true);
      expect(can(role, 'operations:write')).toBe(true);
    }
    for (const role of ['financeur', 'epf'] as const) expect(can(role, 'operations:read')).toBe(false);
  });

  it('lets the DDTM chair project reviews, the EPCI contribute, and no one else take part', () => {
    expect(can('agent_etat', 'revues:manage')).toBe(true);
    expect(can('agent_epci', 'revues:manage')).toBe(false);
    expect(can('agent_epci', 'revues:contribute')).toBe(true);
    for (const role of ['commune', 'bailleur', 'financeur', 'epf'] as const) expect(can(role, 'revues:read')).toBe(false);
  });

  it('lets landlords declare sittings and vacated dwellings, communes record attendance, territorial roles read them', () => {
    for (const role of ['agent_etat', 'agent_epci', 'commune', 'bailleur'] as const) expect(can(role, 'attributions:read')).toBe(true);
    for (const role of ['financeur', 'epf'] as const) expect(can(role, 'attributions:read')).toBe(false);
    expect(ROLES.filter((r) => r !== 'admin' && can(r, 'attributions:declare'))).toEqual(['bailleur']);
    expect(ROLES.filter((r) => r !== 'admin' && can(r, 'attributions:presence'))).toEqual(['commune']);
  });

  it('lets every role hold personal API tokens', () => {
    for (const role of ROLES) expect(can(role, 'tokens:own')).toBe(true);
  });

  it('grants only known permissions, and binds each role to one kind of scope', () => {
    for (const role of ROLES) {
      for (const p of grants[role]) expect(PERMISSIONS).toContain(p);
      expect(SCOPE_KIND[role]).toBeDefined();
    }
  });
});
