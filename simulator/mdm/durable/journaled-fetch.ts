import { signAccessToken, type AuthConfig } from '../auth.js';
import type { ReferenceMdm } from '../reference-mdm.js';
import { isRole } from '../../../contract/roles.js';
import type { Journal, JournalEntry } from './journal.js';
import { graphErrorJson } from '../admission/raw-graph-error.js';

type Fetch = (request: Request) => Response | Promise<Response>;

/** Answers that mean the request changed nothing (refused before any handler ran, or over a limit). */
const NOT_APPLIED = new Set([401, 403, 404, 405, 408, 413, 415, 429, 503]);

/** Requests that never change state: reads, the token endpoint, and async fleet posts (journaled slice by slice). */
function mayChangeState(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  return !path.endsWith('/oauth2/v2.0/token');
}

/** The role a journal entry names for a request the Apple admin API (HTTP basic, `--apple-api-key`) accepted; the key itself is not kept. */
export const APPLE_API_ROLE = 'apple-api';
/** What an Apple device's message is checked by, besides its body. */
const APPLE_DEVICE_HEADERS = ['content-type', 'mdm-signature'];

/** The token's subject and role, read without verifying: only used after the app accepted the request. */
function principalOf(authorization: string | null): { clientId: string | null; role: string | null } {
  const token = /^Bearer +([^ ]+)/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return { clientId: null, role: null };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; role?: unknown };
    return { clientId: typeof claims.sub === 'string' ? claims.sub : null, role: typeof claims.role === 'string' ? claims.role : null };
  } catch {
    return { clientId: null, role: null };
  }
}

/**
 * Wraps the app's fetch: a request that may change state is read whole, handled, and journaled
 * (committed) before its answer is returned to the adapter, so no 2xx leaves before its row is
 * durable. The simulated instant is taken before handling: the handler runs without yielding to
 * timers once its body is in memory, so the clock cannot move in between.
 */
export function journaledFetch(fetch: Fetch, mdm: ReferenceMdm, journal: Journal, maxBodyBytes: number): Fetch {
  return async (request: Request) => {
    const method = request.method;
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    if (!mayChangeState(method, path)) return fetch(request);
    const declared = Number(request.headers.get('content-length') ?? '0');
    // A declared body over the limit (or a malformed length): the app refuses it before reading; nothing changes.
    if (!(declared <= maxBodyBytes)) return fetch(request);
    // Chunked bodies are read here too (bounded), so every state change is journaled.
    const body = request.body ? await boundedText(request, maxBodyBytes) : null;
    if (body instanceof Response) return body;
    if (body instanceof Request) return fetch(body);
    const at = mdm.clock.now();
    const response = await fetch(new Request(request.url, { method, headers: request.headers, body: body === '' ? null : body }));
    if (response.status < 500 && !NOT_APPLIED.has(response.status) && response.status !== 202) {
      journal.append({ at, method, path, body: body === '' ? null : body, ...identityOf(request, url.pathname) });
    }
    return response;
  };
}

/** Who sent a request the app accepted, as a replay must present it again. */
function identityOf(request: Request, pathname: string): Pick<JournalEntry, 'clientId' | 'role' | 'headers'> {
  const authorization = request.headers.get('authorization');
  if (pathname === '/mdm') {
    const headers: Record<string, string> = {};
    for (const name of APPLE_DEVICE_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { clientId: null, role: null, headers };
  }
  if (pathname.startsWith('/v1/') && /^Basic /i.test(authorization ?? '')) return { clientId: null, role: APPLE_API_ROLE, headers: null };
  return { ...principalOf(authorization), headers: null };
}

/** The body as text, or a Graph-shaped 413 when it grows past the limit. */
async function boundedText(request: Request, limit: number): Promise<string | Response | Request> {
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      const { body, requestId } = graphErrorJson('RequestEntityTooLarge', `The request body is larger than ${limit} bytes`);
      return new Response(body, { status: 413, headers: { 'content-type': 'application/json', 'request-id': requestId } });
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Not UTF-8: the app refuses it (400) and nothing changes; it gets the bytes as they came.
    return new Request(request.url, { method: request.method, headers: request.headers, body: bytes });
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Applies one journaled fleet slice (a part of an asynchronous POST /sim/fleet). */
export type SliceApplier = (entry: JournalEntry) => void;

/**
 * Replays the journal into a freshly started server: each entry at its own simulated instant,
 * through the same app (a token is signed for the entry's client and role), then the clock moves
 * to where it was last saved. Returns the number of entries replayed.
 */
export async function replayJournal(journal: Journal, fetch: Fetch, mdm: ReferenceMdm, auth: AuthConfig, applySlice: SliceApplier, appleApiKey?: string): Promise<number> {
  const tokens = new Map<string, string>();
  let count = 0;
  for (const entry of journal.entries()) {
    if (entry.at > mdm.clock.now()) mdm.clock.advanceTo(entry.at);
    count++;
    if (entry.method === 'FLEET_SLICE') {
      applySlice(entry);
      continue;
    }
    const headers: Record<string, string> = {};
    if (entry.clientId && entry.role && isRole(entry.role)) {
      const key = `${entry.clientId}\u0000${entry.role}`;
      let token = tokens.get(key);
      if (!token) {
        token = await signAccessToken(auth, { clientId: entry.clientId, role: entry.role });
        tokens.set(key, token);
      }
      headers.authorization = `Bearer ${token}`;
    }
    if (entry.role === APPLE_API_ROLE && appleApiKey) headers.authorization = `Basic ${Buffer.from(`nanomdm:${appleApiKey}`).toString('base64')}`;
    if (entry.body !== null) headers['content-type'] = entry.path.includes('oauth2') ? 'application/x-www-form-urlencoded' : 'application/json';
    Object.assign(headers, entry.headers ?? {});
    await fetch(new Request(`http://replay${entry.path}`, { method: entry.method, headers, body: entry.body }));
  }
  const saved = journal.savedClock();
  if (saved !== null && saved > mdm.clock.now()) mdm.clock.advanceTo(saved);
  return count;
}
