import { badRequest } from './graph-error.js';
import { unsafeTextProblem } from './hygiene/text-checks.js';

/** One `field eq 'value'` clause of a `$filter`. */
export interface FilterClause {
  field: string;
  value: string;
}

export interface ListQuery {
  top: number;
  /** Cursor decoded from `$skiptoken`, or null for the first page. */
  cursor: number | null;
  /** The filter when it is `eq` clauses joined by `and` (index-driven); else empty and `where` is set. */
  filter: FilterClause[];
  /** Any other filter expression (scanned); null when `filter` says it all. */
  where: FilterExpr | null;
  select: string[] | null;
  count: boolean;
}

export interface ListSpec {
  /** Cursor kind letter inside the skiptoken, so a token of one list is refused by another. */
  kind: 'd' | 'a';
  filterFields: readonly string[];
  selectFields: readonly string[];
  /** The list takes full expressions (or, not, ne, startswith), not only eq clauses joined by and. */
  expressions?: boolean;
  /** Graph's name of the listed type, for its "Could not find a property" message. */
  entityType?: string;
  /** DateTimeOffset properties `$filter` compares (eq, ne, gt, ge, lt, le); always scanned. */
  timeFields?: readonly string[];
  /** Paging cursors only hold within one fleet generation (ReferenceMdm.epoch). */
  epoch: number;
  /** Highest cursor value that can be valid now. */
  maxCursor: number;
}

export const MAX_TOP = 1000;
export const DEFAULT_TOP = 100;
const LIST_OPTIONS = ['$top', '$skiptoken', '$filter', '$select', '$count'];
const MAX_CLAUSES = 16;

function show(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The query string's parameters; 400 for a repeated system query option. */
export function queryParams(url: string): URLSearchParams {
  const q = url.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (key.startsWith('$')) {
      if (seen.has(key)) throw badRequest(`Query option '${show(key)}' is given more than once`);
      seen.add(key);
    }
  }
  return params;
}

const SYSTEM_OPTIONS = ['$top', '$skiptoken', '$filter', '$select', '$count', '$orderby', '$expand', '$search', '$skip', '$format'];

/**
 * A Graph request's query parameters with system query options under their canonical names:
 * option names are case-insensitive (`$skipToken`, `$SELECT`), and on beta the `$` is optional
 * (`top=2`), as Graph documents. Other parameters pass unchanged. 400 for an option given twice.
 */
export function graphQueryParams(url: string, version: string): URLSearchParams {
  const q = url.indexOf('?');
  if (q < 0) return new URLSearchParams();
  const out = new URLSearchParams();
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    const lower = key.toLowerCase();
    const canonical = SYSTEM_OPTIONS.find((o) => o === lower || (version === 'beta' && o === `$${lower}`));
    const name = canonical ?? key;
    if (name.startsWith('$')) {
      if (seen.has(name)) throw badRequest(`Query option '${show(name)}' is given more than once`);
      seen.add(name);
    }
    out.append(name, value);
  }
  return out;
}

/** 400 for a system query option (`$...`) the endpoint does not support. Other parameters are ignored, as Graph does. */
export function rejectUnknownOptions(params: URLSearchParams, allowed: readonly string[]): void {
  for (const key of params.keys()) {
    if (key.startsWith('$') && !allowed.includes(key)) {
      throw badRequest(`Query option '${show(key)}' is not supported here; supported: ${allowed.length ? allowed.join(', ') : 'none'}`);
    }
  }
}

export function parseTop(text: string | null): number {
  if (text === null) return DEFAULT_TOP;
  if (!/^\d{1,7}$/.test(text)) throw badRequest(`Invalid $top '${show(text)}': it must be an integer from 1 to ${MAX_TOP}`);
  const top = Number(text);
  if (top < 1 || top > MAX_TOP) throw badRequest(`Invalid $top ${top}: it must be from 1 to ${MAX_TOP}`);
  return top;
}

export function parseCount(text: string | null): boolean {
  if (text === null || text === 'false') return false;
  if (text === 'true') return true;
  throw badRequest(`Invalid $count '${show(text)}': it must be true or false`);
}

/** Graph's (OData's) answer to a property the type does not have, in `$select` or `$filter`. */
export function unknownPropertyMessage(name: string, entityType: string): string {
  return `Could not find a property named '${show(name)}' on type '${entityType}'.`;
}

export function parseSelect(text: string | null, fields: readonly string[], entityType = 'microsoft.graph.entity'): string[] | null {
  if (text === null) return null;
  const chosen: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') throw badRequest(`Invalid $select '${show(text)}': empty property name`);
    const field = fields.find((f) => f.toLowerCase() === name.toLowerCase());
    if (!field) throw badRequest(`${unknownPropertyMessage(name, entityType)} Selectable: ${fields.join(', ')}`);
    if (!chosen.includes(field)) chosen.push(field);
  }
  return chosen;
}

/** A `$filter` expression: comparisons of a property with a string or DateTimeOffset literal, combined. */
export type FilterExpr =
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'startswith'; field: string; value: string }
  | { kind: 'time'; op: TimeOp; field: string; at: number }
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr };

export type TimeOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const TIME_OPS: readonly string[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
/** An OData DateTimeOffset literal (unquoted), e.g. 2026-01-31T08:00:00Z. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/i;

/** What `$filter` may name beyond its string properties: the type's other properties (for Graph's message) and its DateTimeOffset ones. */
export interface FilterTypeInfo {
  entityType: string;
  properties: readonly string[];
  /** DateTimeOffset properties compared with eq, ne, gt, ge, lt, le. */
  timeFields?: readonly string[];
}

const MAX_DEPTH = 16;

/**
 * `$filter` as Graph takes it for these lists: `eq` and `ne` comparisons and `startswith(prop,'x')`,
 * combined with `and`, `or`, `not` and parentheses. String literals in single quotes with `''`
 * for a quote; property names and keywords match case-insensitively.
 */
export function parseFilterExpression(text: string | null, fields: readonly string[], type?: FilterTypeInfo): FilterExpr | null {
  if (text === null) return null;
  const timeFields = type?.timeFields ?? [];
  const timeHint = timeFields.length ? `; eq, ne, gt, ge, lt, le with a DateTimeOffset (2026-01-31T08:00:00Z) on ${timeFields.join(', ')}` : '';
  const fail = (why: string) =>
    badRequest(`Invalid $filter '${show(text)}': ${why}. Supported: eq, ne and startswith(property,'text') on ${fields.join(', ')}${timeHint}, combined with and, or, not and parentheses`);
  let i = 0;
  let comparisons = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const word = (): string => {
    const start = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const peekWord = (): string => {
    const at = i;
    const w = word();
    i = at;
    return w.toLowerCase();
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[i] !== ch) throw fail(`expected '${ch}' at position ${i}`);
    i++;
  };
  const property = (withTime = false): string => {
    skipSpace();
    const name = word();
    if (name === '') throw fail(`expected a property name at position ${i}`);
    const field = fields.find((f) => f.toLowerCase() === name.toLowerCase()) ?? (withTime ? timeFields.find((f) => f.toLowerCase() === name.toLowerCase()) : undefined);
    if (!field) {
      // A name the type does not have at all gets Graph's own message; a real property lockstep does not filter on gets ours.
      const lower = name.toLowerCase();
      if (type && !type.properties.some((p) => p.toLowerCase() === lower)) throw badRequest(`${unknownPropertyMessage(name, type.entityType)} Filterable: ${fields.join(', ')}`);
      throw fail(`filtering on '${show(name)}' is not supported`);
    }
    return field;
  };
  const literal = (field: string): string => {
    skipSpace();
    if (text[i] !== "'") throw fail(`the value for '${field}' must be a string literal in single quotes`);
    i++;
    let value = '';
    for (;;) {
      if (i >= text.length) throw fail('unterminated string literal');
      const ch = text[i]!;
      if (ch === "'") {
        if (text[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      value += ch;
      i++;
    }
    const unsafe = unsafeTextProblem(value);
    if (unsafe) throw fail(`the value for '${field}' ${unsafe}`);
    if (++comparisons > MAX_CLAUSES) throw fail(`more than ${MAX_CLAUSES} comparisons`);
    return value;
  };
  const primary = (depth: number): FilterExpr => {
    if (depth > MAX_DEPTH) throw fail(`nested more than ${MAX_DEPTH} deep`);
    skipSpace();
    if (text[i] === '(') {
      i++;
      const inner = orExpr(depth + 1);
      expect(')');
      return inner;
    }
    const keyword = peekWord();
    if (keyword === 'not') {
      word();
      if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '(') throw fail("expected a space or '(' after 'not'");
      return { kind: 'not', expr: primary(depth + 1) };
    }
    if (keyword === 'startswith') {
      word();
      expect('(');
      const field = property();
      expect(',');
      const value = literal(field);
      expect(')');
      return { kind: 'cmp', op: 'startswith', field, value };
    }
    const at = i;
    const name = word();
    if (text[i] === '(' || (name !== '' && /^\s*\(/.test(text.slice(i)) && !fields.includes(name))) throw fail(`function '${show(name)}' is not supported`);
    i = at;
    const field = property(true);
    skipSpace();
    const op = word().toLowerCase();
    if (timeFields.includes(field)) {
      if (!TIME_OPS.includes(op)) throw fail(op === '' ? `expected a comparison after '${field}'` : `operator '${show(op)}' is not supported`);
      skipSpace();
      const literal = DATE_TIME.exec(text.slice(i))?.[0];
      const at = literal === undefined ? NaN : Date.parse(literal);
      if (Number.isNaN(at)) throw fail(`the value for '${field}' must be a DateTimeOffset literal without quotes, e.g. 2026-01-31T08:00:00Z`);
      i += literal!.length;
      if (++comparisons > MAX_CLAUSES) throw fail(`more than ${MAX_CLAUSES} comparisons`);
      return { kind: 'time', op: op as TimeOp, field, at };
    }
    if (op !== 'eq' && op !== 'ne') throw fail(op === '' ? `expected eq or ne after '${field}'` : `operator '${show(op)}' is not supported`);
    return { kind: 'cmp', op, field, value: literal(field) };
  };
  const joined = (kind: 'and' | 'or', next: (depth: number) => FilterExpr) => (depth: number): FilterExpr => {
    let left = next(depth);
    for (;;) {
      skipSpace();
      if (peekWord() !== kind) return left;
      word();
      left = { kind, left, right: next(depth) };
    }
  };
  const andExpr = joined('and', primary);
  const orExpr = joined('or', andExpr);
  const expr = orExpr(0);
  skipSpace();
  if (i < text.length) throw fail(`unexpected '${show(text.slice(i))}'`);
  return expr;
}

/** The `eq` comparisons of an expression that is nothing but them joined by `and`; null otherwise. */
export function equalityClauses(expr: FilterExpr): FilterClause[] | null {
  if (expr.kind === 'time') return null;
  if (expr.kind === 'cmp') return expr.op === 'eq' ? [{ field: expr.field, value: expr.value }] : null;
  if (expr.kind !== 'and') return null;
  const left = equalityClauses(expr.left);
  const right = left && equalityClauses(expr.right);
  return left && right ? [...left, ...right] : null;
}

/** Whether a device (its property values, through `get`; times in ms through `time`) matches; strings compare case-insensitively. */
export function matchesFilter(expr: FilterExpr, get: (field: string) => string, time: (field: string) => number = () => NaN): boolean {
  switch (expr.kind) {
    case 'time': {
      const t = time(expr.field);
      const at = expr.at;
      return expr.op === 'eq' ? t === at : expr.op === 'ne' ? t !== at : expr.op === 'gt' ? t > at : expr.op === 'ge' ? t >= at : expr.op === 'lt' ? t < at : t <= at;
    }
    case 'cmp': {
      const actual = get(expr.field).toLowerCase();
      const value = expr.value.toLowerCase();
      return expr.op === 'eq' ? actual === value : expr.op === 'ne' ? actual !== value : actual.startsWith(value);
    }
    case 'and':
      return matchesFilter(expr.left, get, time) && matchesFilter(expr.right, get, time);
    case 'or':
      return matchesFilter(expr.left, get, time) || matchesFilter(expr.right, get, time);
    case 'not':
      return !matchesFilter(expr.expr, get, time);
  }
}

/** `$filter` restricted to `eq` clauses joined by `and` (the lists that take no more). */
export function parseFilter(text: string | null, fields: readonly string[]): FilterClause[] {
  const expr = parseFilterExpression(text, fields);
  if (expr === null) return [];
  const clauses = equalityClauses(expr);
  if (clauses === null) throw badRequest(`Invalid $filter '${show(text!)}': this list takes only <property> eq '<value>' clauses joined by 'and', on ${fields.join(', ')}`);
  return clauses;
}

export function encodeSkipToken(kind: 'd' | 'a', epoch: number, cursor: number): string {
  return Buffer.from(`${kind}.${epoch}.${cursor}`, 'utf8').toString('base64url');
}

export function decodeSkipToken(text: string | null, spec: ListSpec): number | null {
  if (text === null) return null;
  const invalid = () => badRequest(`Invalid $skiptoken: use the @odata.nextLink of a previous page unchanged`);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw invalid();
  const match = /^([da])\.(\d{1,9})\.(\d{1,12})$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
  if (!match || match[1] !== spec.kind) throw invalid();
  if (Number(match[2]) !== spec.epoch) {
    throw badRequest(`The $skiptoken is from before the fleet was cleared (DELETE /sim/fleet)${spec.kind === 'a' ? ' or old audits were dropped (retention)' : ''}; start again without $skiptoken`);
  }
  const cursor = Number(match[3]);
  if (cursor > spec.maxCursor) throw invalid();
  return cursor;
}

/** Parses and validates every list option at once, before anything is read. */
export function parseListQuery(params: URLSearchParams, spec: ListSpec): ListQuery {
  rejectUnknownOptions(params, LIST_OPTIONS);
  return {
    top: parseTop(params.get('$top')),
    count: parseCount(params.get('$count')),
    select: parseSelect(params.get('$select'), spec.selectFields, spec.entityType),
    ...filterOf(params.get('$filter'), spec),
    cursor: decodeSkipToken(params.get('$skiptoken'), spec),
  };
}

function filterOf(text: string | null, spec: ListSpec): { filter: FilterClause[]; where: FilterExpr | null } {
  if (!spec.expressions) return { filter: parseFilter(text, spec.filterFields), where: null };
  const expr = parseFilterExpression(text, spec.filterFields, spec.entityType ? { entityType: spec.entityType, properties: spec.selectFields, timeFields: spec.timeFields ?? [] } : undefined);
  if (expr === null) return { filter: [], where: null };
  const clauses = equalityClauses(expr);
  return clauses ? { filter: clauses, where: null } : { filter: [], where: expr };
}
