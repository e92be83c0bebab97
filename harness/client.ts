/**
 * One client for every target: speaks the lockstep HTTP contract (Graph-shaped management
 * API + simulation API) over fetch. The embedded target routes the same fetch calls to the
 * in-process app with msw, so scenarios cannot tell the targets apart.
 */

import { ROLE_NAMES, type RoleName } from '../contract/roles.js';

export interface Credential {
  clientId: string;
  clientSecret: string;
}
export type Credentials = Record<RoleName, Credential>;

/** The contract's built-in local clients: each role's client id, with the same string as secret. */
export function builtInCredentials(): Credentials {
  return Object.fromEntries(ROLE_NAMES.map((r) => [r, { clientId: r, clientSecret: r }])) as Credentials;
}

/** The target could not be reached, or answered outside the contract. */
export class TargetError extends Error {
  /** True when the target did not answer at all (refused, reset, or no answer within the request timeout). */
  dead = false;
}

/** Per-request timeout of the harness's client unless `--request-timeout` says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The target did not answer at all (connection refused, reset, no route). */
export class TargetUnreachableError extends TargetError {}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  /** The target's `request-id` header, when it sends one (Graph does). */
  requestId?: string;
}

export type GraphVersion = 'v1.0' | 'beta';

export interface ClientOptions {
  baseUrl: string;
  credentials?: Credentials;
  version?: GraphVersion;
  fetch?: typeof fetch;
  /** Longest wait for one answer, body included (DEFAULT_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** How the client waits out a 429's Retry-After (a timer); tests pass one that moves their clock. */
  wait?: (ms: number) => Promise<void>;
}

export class LockstepClient {
  readonly baseUrl: string;
  readonly version: GraphVersion;
  private readonly credentials: Credentials;
  private readonly doFetch: typeof fetch;
  readonly requestTimeoutMs: number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly tokens = new Map<RoleName, { token: string; expires: number }>();

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.version = options.version ?? 'beta';
    this.credentials = options.credentials ?? builtInCredentials();
    this.doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** A bearer token for the role, from the contract's token endpoint (cached until shortly before expiry). */
  async token(role: RoleName): Promise<string> {
    const cached = this.tokens.get(role);
    if (cached && cached.expires > Date.now() + 30_000) return cached.token;
    const { clientId, clientSecret } = this.credentials[role];
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' });
    const reply = await this.send('POST', '/oauth2/v2.0/token', { body: form.toString(), contentType: 'application/x-www-form-urlencoded' });
    const body = reply.body as { access_token?: unknown; expires_in?: unknown };
    if (reply.status !== 200 || typeof body?.access_token !== 'string') {
      throw new TargetError(`token endpoint refused the ${role} client (HTTP ${reply.status}); check the credentials`);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.tokens.set(role, { token: body.access_token, expires: Date.now() + expiresIn * 1000 });
    return body.access_token;
  }

  /** A request as a role; `role: null` sends no Authorization header. */
  async request<T = unknown>(role: RoleName | null, method: string, path: string, json?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (role) headers.authorization = `Bearer ${await this.token(role)}`;
    const body = json === undefined ? undefined : JSON.stringify(json);
    return this.send<T>(method, path, { headers, body, contentType: body === undefined ? undefined : 'application/json' });
  }

  /** A Graph path under the client's version, or exactly `version` when one is given. */
  graphPath(path: string, exact?: GraphVersion): string {
    // Graph publishes remoteActionAudits on beta only.
    const version = exact ?? (path.startsWith('/remoteActionAudits') ? 'beta' : this.version);
    return `/${version}/deviceManagement${path}`;
  }

  async send<T>(method: string, path: string, options: { headers?: Record<string, string>; body?: string | undefined; contentType?: string | undefined }): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.contentType) headers['content-type'] = options.contentType;
    let response: Response;
    let text: string;
    // One deadline for the answer and its body: a target that accepts and never answers ends the request.
    let signal = AbortSignal.timeout(this.requestTimeoutMs);
    try {
      for (let attempt = 1; ; attempt++) {
        response = await this.doFetch(this.baseUrl + path, { method, headers, body: options.body ?? null, signal });
        text = await response.text();
        // A throttled target (Graph's 429 with Retry-After): wait as told and send again, as Graph clients do.
        const wait = response.status === 429 ? retryAfterSeconds(response.headers.get('retry-after')) : null;
        if (wait === null || attempt >= MAX_THROTTLE_RETRIES) break;
        await this.wait(wait * 1000);
        signal = AbortSignal.timeout(this.requestTimeoutMs);
      }
    } catch (error) {
      const timedOut = signal.aborted || (error as Error)?.name === 'TimeoutError';
      const failure = new TargetUnreachableError(
        timedOut ? `${method} ${path}: no answer from ${this.baseUrl} within ${this.requestTimeoutMs / 1000} s (--request-timeout)` : `cannot reach ${this.baseUrl}: ${describe(error)}`,
      );
      failure.dead = true;
      throw failure;
    }
    const requestId = response.headers.get('request-id') ?? undefined;
    const meta = requestId ? { requestId } : {};
    if (text === '') return { status: response.status, body: undefined as T, ...meta };
    try {
      return { status: response.status, body: JSON.parse(text) as T, ...meta };
    } catch {
      throw new TargetError(`${method} ${path} answered HTTP ${response.status} with a body that is not JSON`);
    }
  }
}

const MAX_THROTTLE_RETRIES = 5;
/** Longest Retry-After the client waits out; a longer one is answered to the caller as the 429 it is. */
const MAX_RETRY_AFTER_SECONDS = 60;

function retryAfterSeconds(header: string | null): number | null {
  if (header === null || !/^\d{1,4}$/.test(header.trim())) return null;
  const seconds = Number(header.trim());
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : null;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
