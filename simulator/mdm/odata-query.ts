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
  filter: FilterClause[];
  select: string[] | null;
  count: boolean;
}

export interface ListSpec {
  /** Cursor kind letter inside the skiptoken, so a token of one list is refused by another. */
  kind: 'd' | 'a';
  filterFields: readonly string[];
  selectFields: readonly string[];
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

export function parseSelect(text: string | null, fields: readonly string[]): string[] | null {
  if (text === null) return null;
  const chosen: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') throw badRequest(`Invalid $select '${show(text)}': empty property name`);
    const field = fields.find((f) => f.toLowerCase() === name.toLowerCase());
    if (!field) throw badRequest(`Invalid $select: '${show(name)}' is not a property; selectable: ${fields.join(', ')}`);
    if (!chosen.includes(field)) chosen.push(field);
  }
  return chosen;
}

/**
 * `$filter`: `field eq 'value'` clauses joined by `and`; string literals in single quotes
 * with `''` for a quote. Property names and operators are matched case-insensitively.
 */
export function parseFilter(text: string | null, fields: readonly string[]): FilterClause[] {
  if (text === null) return [];
  const fail = (why: string) =>
    badRequest(`Unsupported $filter '${show(text)}': ${why}. Supported: <property> eq '<value>' clauses joined by 'and', on ${fields.join(', ')}`);
  const clauses: FilterClause[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const word = (): string => {
    const start = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const needSpace = (after: string) => {
    if (i >= text.length || (text[i] !== ' ' && text[i] !== '\t')) throw fail(`expected a space after '${show(after)}'`);
    skipSpace();
  };
  skipSpace();
  for (;;) {
    const name = word();
    if (name === '') throw fail(`expected a property name at position ${i}`);
    const field = fields.find((f) => f.toLowerCase() === name.toLowerCase());
    if (!field) throw fail(`filtering on '${show(name)}' is not supported`);
    needSpace(name);
    const op = word();
    if (op.toLowerCase() !== 'eq') throw fail(op === '' ? `expected 'eq' after '${field}'` : `operator '${show(op)}' is not supported`);
    needSpace(op);
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
    clauses.push({ field, value });
    if (clauses.length > MAX_CLAUSES) throw fail(`more than ${MAX_CLAUSES} clauses`);
    skipSpace();
    if (i >= text.length) break;
    const joiner = word();
    if (joiner.toLowerCase() !== 'and') throw fail(joiner === '' ? `unexpected '${show(text.slice(i))}'` : `'${show(joiner)}' is not supported (only 'and')`);
    needSpace(joiner);
  }
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
    select: parseSelect(params.get('$select'), spec.selectFields),
    filter: parseFilter(params.get('$filter'), spec.filterFields),
    cursor: decodeSkipToken(params.get('$skiptoken'), spec),
  };
}
