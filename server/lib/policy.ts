/**
 * Scope as a declared policy (decision 0009). Each entity declares once, in its module's
 * `<entity>.policy.ts`, where a record sits (département, EPCI, commune, organisation, linked
 * organisations, visibility, account) and, per action, which rule lets each role through. From that
 * one declaration come:
 *   - the record check in JS (`allows`, `visibleOr404`), used on a loaded sheet before any write;
 *   - the SQL `WHERE` fragment (`where`), used by every list, count, export, map and statistic;
 *   - the list filters on the same columns (`filters`).
 * A list, a count, an export, a document and a sheet therefore never disagree: they read the same
 * declaration. A record outside scope does not exist for the caller (404).
 */
import { sql, type SQL } from 'drizzle-orm';
import { can, type Permission, type Role } from '../../shared/roles.js';
import { textArray } from '../db/client.js';
import { notFound } from './errors.js';
import type { Principal } from './principal.js';

/** The dimensions a record may sit in. */
export type DimensionName = 'departement' | 'epci' | 'commune' | 'organisation' | 'links' | 'visibility' | 'account';

/**
 * One dimension of a record: its SQL expression (on the module's alias) and the row field carrying
 * the same value. `many` for a text[]/uuid[] expression (a record sitting in several places).
 */
export interface Dimension<R> {
  sql: SQL;
  get: (r: Partial<R>) => unknown;
  many: boolean;
  uuid: boolean;
  /** Set for computed dimensions: the row key the SELECT must carry (see `columns`). */
  computedAs?: string;
}

/** A column of the row (the SQL expression and the row key name the same value). */
export function column<R>(expr: SQL | string, key: keyof R & string, opts: { many?: boolean; uuid?: boolean } = {}): Dimension<R> {
  return { sql: typeof expr === 'string' ? sql.raw(expr) : expr, get: (r) => r[key], many: opts.many ?? false, uuid: opts.uuid ?? false };
}

/**
 * A value computed by SQL (e.g. an aid's départements from its financer and perimeter): the SELECT
 * of a record checked in JS must include `policy.columns` so that the row carries it under `key`.
 */
export function computed<R>(expr: SQL, key: keyof R & string, opts: { many?: boolean; uuid?: boolean } = {}): Dimension<R> {
  return { ...column<R>(expr, key, opts), computedAs: key };
}

/** Who passes, for one role and one action. */
export type Rule =
  | { kind: 'everything' }
  | { kind: 'served' }
  | { kind: 'same'; dimension: 'departement' | 'epci' | 'commune' | 'organisation' | 'account' }
  | { kind: 'linked' }
  | { kind: 'visibility'; values: readonly string[] }
  | { kind: 'unplaced' }
  | { kind: 'any'; rules: readonly Rule[] }
  | { kind: 'all'; rules: readonly Rule[] }
  | { kind: 'none' };

export const rules = {
  /** Every record, even outside the served départements (national records: accounts, organisations). */
  everything: { kind: 'everything' } as Rule,
  /** Every record of the served départements. */
  served: { kind: 'served' } as Rule,
  /** Records in the principal's département(s). */
  departement: { kind: 'same', dimension: 'departement' } as Rule,
  /** Records in the principal's EPCI. */
  epci: { kind: 'same', dimension: 'epci' } as Rule,
  /** Records in the principal's commune. */
  commune: { kind: 'same', dimension: 'commune' } as Rule,
  /** Records of the principal's organisation. */
  organisation: { kind: 'same', dimension: 'organisation' } as Rule,
  /** The principal's own account. */
  self: { kind: 'same', dimension: 'account' } as Rule,
  /** Records the principal's organisation is linked to. */
  linked: { kind: 'linked' } as Rule,
  /** Records whose visibility is one of these values. */
  visibility: (...values: string[]): Rule => ({ kind: 'visibility', values }),
  /** Records placed in no département (national bodies). */
  unplaced: { kind: 'unplaced' } as Rule,
  anyOf: (...r: Rule[]): Rule => ({ kind: 'any', rules: r }),
  allOf: (...r: Rule[]): Rule => ({ kind: 'all', rules: r }),
  none: { kind: 'none' } as Rule,
};

/** `anonyme` is the caller without a session or token. */
export type Who = Role | 'anonyme';

export interface ActionRules {
  /** Checked before the rule: without it, the action is refused whatever the record. */
  permission?: Permission;
  /** Missing roles: nothing. */
  roles: Partial<Record<Who, Rule>>;
}

export interface PolicyDeclaration<R, A extends string> {
  /** The French 404 message: « Opération introuvable. » */
  introuvable: string;
  sits: Partial<Record<DimensionName, Dimension<R>>>;
  /**
   * Records outside the served départements exist for nobody (an instance that stops serving a
   * département keeps its rows but shows none). Default: true when `sits.departement` is declared.
   */
  servedOnly?: boolean;
  actions: Record<A, ActionRules>;
}

/**
 * The département(s) a principal acts for. A State agent holds one today (`departement`); this is
 * the one place to widen when an agent serves several (e.g. a regional service).
 */
export function principalDepartements(p: Principal): string[] {
  return p.departement ? [p.departement] : [];
}

function principalValues(p: Principal, d: 'departement' | 'epci' | 'commune' | 'organisation' | 'account'): string[] {
  const v = { departement: null, epci: p.epciSiren, commune: p.communeInsee, organisation: p.organisationId, account: p.userId }[d];
  return d === 'departement' ? principalDepartements(p) : v ? [v] : [];
}

const asList = (v: unknown): string[] => (v == null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export interface Policy<R, A extends string> {
  readonly declaration: PolicyDeclaration<R, A>;
  /** Whether the principal (undefined: anonymous) may do `action` on this record. */
  allows(action: A, p: Principal | undefined, record: Partial<R>, served: readonly string[]): boolean;
  /** The records the principal may do `action` on, as a WHERE fragment on the module's alias. */
  where(action: A, p: Principal | undefined, served: readonly string[]): SQL;
  /** The record if the principal may read it (`action`, default the first declared); else 404. */
  visibleOr404<T extends Partial<R>>(record: T | undefined | null, p: Principal | undefined, served: readonly string[], action?: A): T;
  /** Filters of a list on the declared columns (e.g. `?epci=`), ANDed with `where`. */
  filters(f: Partial<Record<'departement' | 'epci' | 'commune' | 'organisation', string | undefined>>): SQL[];
  /** `expr AS key` for each computed dimension, to add to the SELECT of a record checked in JS. */
  readonly columns: SQL;
}

/** Builds the derived checks of one declaration. */
export function definePolicy<R, A extends string>(declaration: PolicyDeclaration<R, A>): Policy<R, A> {
  const sits = declaration.sits;
  const servedOnly = declaration.servedOnly ?? sits.departement !== undefined;
  const dim = (name: DimensionName): Dimension<R> => {
    const d = sits[name];
    if (!d) throw new Error(`policy: a rule uses the dimension « ${name} » that the entity does not declare`);
    return d;
  };
  const firstAction = Object.keys(declaration.actions)[0] as A;

  const ruleOf = (action: A, p: Principal | undefined): Rule => {
    const a = declaration.actions[action];
    if (p && a.permission && !can(p.role, a.permission)) return rules.none;
    return a.roles[p ? p.role : 'anonyme'] ?? rules.none;
  };

  function holds(rule: Rule, p: Principal | undefined, r: Partial<R>, served: readonly string[]): boolean {
    switch (rule.kind) {
      case 'everything':
        return true;
      case 'served':
        return asList(dim('departement').get(r)).some((d) => served.includes(d));
      case 'none':
        return false;
      case 'any':
        return rule.rules.some((x) => holds(x, p, r, served));
      case 'all':
        return rule.rules.every((x) => holds(x, p, r, served));
      case 'unplaced':
        return asList(dim('departement').get(r)).length === 0;
      case 'visibility':
        return asList(dim('visibility').get(r)).some((v) => rule.values.includes(v));
      case 'linked': {
        const mine = p ? principalValues(p, 'organisation') : [];
        return mine.length > 0 && asList(dim('links').get(r)).some((v) => mine.includes(v));
      }
      case 'same': {
        const mine = p ? principalValues(p, rule.dimension) : [];
        const d = dim(rule.dimension === 'account' ? 'account' : rule.dimension);
        return mine.length > 0 && asList(d.get(r)).some((v) => mine.includes(v));
      }
    }
  }

  /** `expr` matches one of `values` (an index-friendly equality for one value). */
  function matchSql(d: Dimension<R>, values: string[]): SQL {
    if (values.length === 0) return sql`FALSE`;
    const cast = d.uuid ? sql`::uuid` : sql``;
    if (d.many) return values.length === 1 ? sql`${values[0]}${cast} = ANY(${d.sql})` : sql`${d.sql} && ${textArray(values)}${d.uuid ? sql`::uuid[]` : sql``}`;
    return values.length === 1 ? sql`${d.sql} = ${values[0]}${cast}` : sql`${d.sql} = ANY(${textArray(values)}${d.uuid ? sql`::uuid[]` : sql``})`;
  }

  function ruleSql(rule: Rule, p: Principal | undefined, served: readonly string[]): SQL {
    switch (rule.kind) {
      case 'everything':
        return sql`TRUE`;
      case 'served':
        return matchSql(dim('departement'), [...served]);
      case 'none':
        return sql`FALSE`;
      case 'any':
        return sql`(${sql.join(rule.rules.map((x) => ruleSql(x, p, served)), sql` OR `)})`;
      case 'all':
        return sql`(${sql.join(rule.rules.map((x) => ruleSql(x, p, served)), sql` AND `)})`;
      case 'unplaced': {
        const d = dim('departement');
        return d.many ? sql`cardinality(${d.sql}) = 0` : sql`${d.sql} IS NULL`;
      }
      case 'visibility':
        return matchSql(dim('visibility'), [...rule.values]);
      case 'linked':
        return matchSql(dim('links'), p ? principalValues(p, 'organisation') : []);
      case 'same':
        return matchSql(dim(rule.dimension), p ? principalValues(p, rule.dimension) : []);
    }
  }

  // The served boundary, ANDed to every rule but the unbounded ones (and `served`, which is it).
  const withinServed = (rule: Rule) => servedOnly && rule.kind !== 'everything' && rule.kind !== 'none' && rule.kind !== 'served';

  const policy: Policy<R, A> = {
    declaration,
    allows(action, p, record, served) {
      const rule = ruleOf(action, p);
      if (withinServed(rule) && !asList(dim('departement').get(record)).some((d) => served.includes(d))) return false;
      return holds(rule, p, record, served);
    },
    where(action, p, served) {
      const rule = ruleOf(action, p);
      const own = ruleSql(rule, p, served);
      return withinServed(rule) ? sql`(${matchSql(dim('departement'), [...served])} AND ${own})` : own;
    },
    visibleOr404(record, p, served, action = firstAction) {
      if (!record || !policy.allows(action, p, record, served)) throw notFound(declaration.introuvable);
      return record;
    },
    filters(f) {
      const out: SQL[] = [];
      for (const k of ['departement', 'epci', 'commune', 'organisation'] as const) {
        const v = f[k];
        if (v !== undefined && v !== '') out.push(matchSql(dim(k), [v]));
      }
      return out;
    },
    columns: (() => {
      const parts = Object.values(sits)
        .filter((d): d is Dimension<R> => d !== undefined && d.computedAs !== undefined)
        .map((d) => sql`${d.sql} AS ${sql.identifier(d.computedAs!)}`);
      return parts.length ? sql.join(parts, sql`, `) : sql`NULL AS "_no_computed_dimension"`;
    })(),
  };
  return policy;
}
