/**
 * Fleet-wide lists (managedDevices, remoteActionAudits) over shards: the shards' lists one after
 * the other, in shard order. A shard's fleet slice is contiguous, so devices come in the seeded
 * fleet's order; each device's audits keep their order. The front's `$skiptoken` names a shard
 * and that shard's own token; `@odata.count` is the sum of the shards' counts.
 */
import { DEFAULT_TOP } from '../odata-query.js';
import type { ShardReply } from './shard-client.js';

export type ListKind = 'd' | 'a';

/** Asks shard `shard` for the list with these query parameters. */
export type ListCall = (shard: number, params: URLSearchParams) => Promise<ShardReply>;

export interface ListAnswer {
  /** A shard's refusal (bad query, bad token...), passed on unchanged. */
  refused?: ShardReply;
  body?: Record<string, unknown>;
}

export function encodeFrontToken(kind: ListKind, shard: number, inner: string | null): string {
  return Buffer.from(`F${kind}${shard}.${inner ?? ''}`, 'utf8').toString('base64url');
}

/** The shard and its own token, or null for a token the front did not make (the shard then explains the error). */
export function decodeFrontToken(text: string, kind: ListKind, shards: number): { shard: number; inner: string | null } | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  const match = /^F([da])(\d{1,5})\.([A-Za-z0-9_=-]*)$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match || match[1] !== kind || Number(match[2]) >= shards) return null;
  return { shard: Number(match[2]), inner: match[3] === '' ? null : match[3]! };
}

function innerToken(nextLink: unknown): string | null {
  if (typeof nextLink !== 'string') return null;
  const q = nextLink.indexOf('?');
  return q < 0 ? null : new URLSearchParams(nextLink.slice(q + 1)).get('$skiptoken');
}

function withParams(params: URLSearchParams, set: Record<string, string | null>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  return next;
}

function parse(reply: ShardReply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

/** The page the client asked for, read from as many shards as it spans. */
export async function mergedListPage(kind: ListKind, params: URLSearchParams, shards: number, call: ListCall, base: string): Promise<ListAnswer> {
  const given = params.get('$skiptoken');
  const start = given === null ? { shard: 0, inner: null } : decodeFrontToken(given, kind, shards);
  // A token the front did not make: shard 0 answers it, with the single-process error.
  if (!start) return { refused: await call(0, params) };
  let shard = start.shard;
  const first = await call(shard, withParams(params, { $skiptoken: start.inner }));
  if (first.status !== 200) return { refused: first };
  const head = parse(first);
  const items = [...((head.value as unknown[]) ?? [])];
  const top = params.has('$top') ? Number(params.get('$top')) : DEFAULT_TOP;
  let inner = innerToken(head['@odata.nextLink']);
  const rest = withParams(params, { $skiptoken: null, $count: null });
  while (items.length < top && inner === null && shard + 1 < shards) {
    shard++;
    const reply = await call(shard, withParams(rest, { $top: String(top - items.length) }));
    if (reply.status !== 200) return { refused: reply };
    const page = parse(reply);
    items.push(...((page.value as unknown[]) ?? []));
    inner = innerToken(page['@odata.nextLink']);
  }
  let next: string | null = inner !== null ? encodeFrontToken(kind, shard, inner) : null;
  // A full page that ended a shard: a next page exists only if a later shard has something.
  for (let k = shard + 1; next === null && k < shards; k++) {
    const peek = await call(k, withParams(rest, { $top: '1', $select: 'id' }));
    if (peek.status !== 200) return { refused: peek };
    if (((parse(peek).value as unknown[]) ?? []).length > 0) next = encodeFrontToken(kind, k, null);
  }
  const body: Record<string, unknown> = { '@odata.context': head['@odata.context'] };
  if ('@odata.count' in head) {
    let count = 0;
    const counts = await Promise.all(Array.from({ length: shards }, (_, k) => call(k, withParams(rest, { $count: params.get('$count'), $top: '1', $select: 'id' }))));
    for (const reply of counts) {
      if (reply.status !== 200) return { refused: reply };
      count += Number(parse(reply)['@odata.count'] ?? 0);
    }
    body['@odata.count'] = count;
  }
  if (next !== null) body['@odata.nextLink'] = nextLink(base, params, next);
  body.value = items;
  return { body };
}

/** The request's URL with `$skiptoken` set to the next page's token (as the single-process app writes it). */
function nextLink(base: string, params: URLSearchParams, token: string): string {
  const parts: string[] = [];
  for (const [k, v] of params) if (k !== '$skiptoken') parts.push(`${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${token}`);
  return `${base}?${parts.join('&')}`;
}
