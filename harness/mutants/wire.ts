/**
 * Wrong MDMs on the wire (issue 11): what a served MDM gets wrong between the client and its
 * routes. The suite runs against an unthrottled target reached directly, so these are caught by
 * the wire checks (harness/wire-checks.ts), run against a target served with --trust-forwarded
 * and --throttle; they are not in `lockstep mutate`'s catalogue.
 */
import { GRAPH_FIDELITY_MUTANTS } from './graph-fidelity.js';
import { DEVICES_PATH, pathOf, rewriteJson } from './http.js';
import type { WrapFetch } from './mutant.js';

export interface WireMutant {
  id: string;
  bug: string;
  wrap: WrapFetch;
  /** The wire check that must fail against it (a WireProblem's check). */
  caughtBy: 'unauthorized' | 'forwarded-links' | 'throttle';
}

/** Every @odata.nextLink names the address the request reached, whatever X-Forwarded-* said. */
const nextLinkIgnoresForwarded: WrapFetch = (fetch) => async (request) => {
  const response = await fetch(request);
  if (request.method !== 'GET' || !DEVICES_PATH.test(pathOf(request))) return response;
  const own = new URL(request.url).origin;
  return rewriteJson(response, (body) => {
    const list = body as { '@odata.nextLink'?: string };
    if (!list['@odata.nextLink']) return false;
    const link = new URL(list['@odata.nextLink']);
    list['@odata.nextLink'] = own + link.pathname + link.search;
    return true;
  });
};

/** Throttles (429 TooManyRequests) but never says when to come back: no Retry-After. */
const throttleWithoutRetryAfter: WrapFetch = (fetch) => async (request) => {
  const response = await fetch(request);
  if (response.status !== 429) return response;
  const headers = new Headers(response.headers);
  headers.delete('retry-after');
  return new Response(response.body, { status: 429, statusText: response.statusText, headers });
};

const unauthorized = GRAPH_FIDELITY_MUTANTS.mutants.find((m) => m.id === 'gf-1/unauthorized-code')!;

export const WIRE_MUTANTS: readonly WireMutant[] = [
  { id: unauthorized.id, bug: unauthorized.bug, wrap: unauthorized.wrap, caughtBy: 'unauthorized' },
  { id: 'wire/next-link-ignores-forwarded', bug: '@odata.nextLink names the address the request reached, ignoring X-Forwarded-Proto/Host and --public-url', wrap: nextLinkIgnoresForwarded, caughtBy: 'forwarded-links' },
  { id: 'wire/throttle-without-retry-after', bug: 'answers 429 TooManyRequests without a Retry-After header', wrap: throttleWithoutRetryAfter, caughtBy: 'throttle' },
];
