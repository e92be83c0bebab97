import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Hono, MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import { ROUTES } from './route-table.js';
import { originOf } from './request-url.js';
import { GraphError, type AppEnv, type Principal } from './graph-error.js';
import { AuthBackoff } from './admission/auth-backoff.js';
import { readBodyText } from './request-body.js';
import { isRole, ROLE_NAMES, SIM_ROLE, type RoleName } from '../../contract/roles.js';
import { mayReadDevices } from './roles.js';

/** One OAuth2 client the token endpoint knows. */
export interface ClientCredential {
  clientId: string;
  clientSecret: string;
  role: RoleName;
}

export interface AuthConfig {
  clients: readonly ClientCredential[];
  /** HS256 key for access tokens. */
  signingKey: string;
  /** The contract's built-in local clients are in use (refused on a non-loopback address). */
  builtIn: boolean;
  /** Access token lifetime in wall-clock seconds (3600). */
  tokenLifetimeSeconds: number;
}

export const TOKEN_LIFETIME_SECONDS = 3600;

/** The contract's local development clients: each role's name is its client id and its secret. */
export function builtInClients(): ClientCredential[] {
  return ROLE_NAMES.map((role) => ({ clientId: role, clientSecret: role, role }));
}

/** Auth settings; without `clients` the built-in local clients, without `signingKey` a random key. */
export function createAuthConfig(options: { clients?: readonly ClientCredential[]; signingKey?: string; tokenLifetimeSeconds?: number } = {}): AuthConfig {
  return {
    clients: options.clients ?? builtInClients(),
    signingKey: options.signingKey ?? randomBytes(32).toString('base64url'),
    builtIn: options.clients === undefined,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? TOKEN_LIFETIME_SECONDS,
  };
}

export class ClientsFileError extends Error {}

const CLIENT_FIELDS = ['clientId', 'clientSecret', 'role'];

/** Validates a clients file's JSON text: `[{"clientId","clientSecret","role"}]`. */
export function parseClientsFile(text: string, source = 'clients file'): ClientCredential[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ClientsFileError(`${source} is not valid JSON`);
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new ClientsFileError(`${source} must be a non-empty JSON array of {"clientId","clientSecret","role"} objects`);
  }
  const seen = new Set<string>();
  return data.map((entry: unknown, i) => {
    const where = `${source}, entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ClientsFileError(`${where} is not an object`);
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!CLIENT_FIELDS.includes(key)) throw new ClientsFileError(`${where} has an unknown field '${key}' (expected clientId, clientSecret, role)`);
    }
    const { clientId, clientSecret, role } = record;
    if (typeof clientId !== 'string' || clientId.trim() === '') throw new ClientsFileError(`${where}: clientId must be a non-empty string`);
    if (typeof clientSecret !== 'string' || clientSecret === '') throw new ClientsFileError(`${where}: clientSecret must be a non-empty string`);
    if (!isRole(role)) throw new ClientsFileError(`${where}: role must be one of ${ROLE_NAMES.join(', ')}`);
    if (seen.has(clientId)) throw new ClientsFileError(`${where}: clientId '${clientId}' appears twice`);
    seen.add(clientId);
    return { clientId, clientSecret, role };
  });
}

export async function loadClientsFile(path: string): Promise<ClientCredential[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ClientsFileError(`cannot read clients file ${path} (${code})`);
  }
  return parseClientsFile(text, `clients file ${path}`);
}

/** Signs an access token; tests pass past `expiresAt` values to get an expired one. Times are wall-clock seconds. */
export async function signAccessToken(
  auth: AuthConfig,
  claims: { clientId: string; role: RoleName; issuedAt?: number; expiresAt?: number },
): Promise<string> {
  const iat = claims.issuedAt ?? Math.floor(Date.now() / 1000);
  const exp = claims.expiresAt ?? iat + auth.tokenLifetimeSeconds;
  return sign({ sub: claims.clientId, role: claims.role, iat, nbf: iat, exp, iss: 'lockstep' }, auth.signingKey, 'HS256');
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time comparison that does not leak the length either. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The client whose id and secret these are, or null (always compares a secret, so timing does not reveal unknown ids). */
export function authenticateClient(auth: AuthConfig, clientId: string, clientSecret: string): ClientCredential | null {
  const client = auth.clients.find((c) => c.clientId === clientId);
  const ok = sameSecret(clientSecret, client?.clientSecret ?? '\u0000no-such-client');
  return client && ok ? client : null;
}

type Verified = Principal & { exp: number };

const unexpired = (verified: Verified, nowSeconds = Math.floor(Date.now() / 1000)): boolean => verified.exp > nowSeconds;

/** How far ahead a token's `nbf` / `iat` may be of this server's clock (clock skew between shards). */
export const CLOCK_SKEW_LEEWAY_SECONDS = 300;

/** Verifies bearer tokens; caches verified ones (wall-clock expiry is still checked on every use). */
export class TokenVerifier {
  private cache = new Map<string, Verified>();
  constructor(private readonly auth: AuthConfig) {}

  #lastHeader = '';
  #lastPrincipal: Verified | null = null;

  /**
   * The principal of the Authorization header this verifier admitted last, if this is the same
   * header and its token has not expired: a client reuses its token, and one string comparison
   * costs less than the header's parse and the cache's hash of a 300-character token.
   */
  lastAdmitted(header: string): Principal | undefined {
    const last = this.#lastPrincipal;
    return last !== null && header === this.#lastHeader && unexpired(last) ? last : undefined;
  }

  /**
   * The principal of a cached, unexpired token (no promise, no microtask); otherwise undefined:
   * ask `verify`. Both remember `header` (the Authorization header it came in), if given, for `lastAdmitted`.
   */
  cached(token: string, header?: string): Principal | undefined {
    const hit = this.cache.get(token);
    return hit && unexpired(hit) ? this.#remember(header, hit) : undefined;
  }

  #remember(header: string | undefined, verified: Verified): Verified {
    if (header !== undefined) {
      this.#lastHeader = header;
      this.#lastPrincipal = verified;
    }
    return verified;
  }

  async verify(token: string, header?: string): Promise<Principal | null> {
    const now = Math.floor(Date.now() / 1000);
    const hit = this.cache.get(token);
    if (hit) {
      if (unexpired(hit, now)) return this.#remember(header, hit);
      this.cache.delete(token);
      return null;
    }
    let payload: Record<string, unknown>;
    try {
      // nbf and iat are checked below with a leeway: shards with skewed clocks accept each other's tokens.
      payload = await verify(token, this.auth.signingKey, { alg: 'HS256', iss: 'lockstep', nbf: false, iat: false });
    } catch {
      return null;
    }
    const { sub, role, exp, nbf, iat } = payload;
    if (typeof sub !== 'string' || !isRole(role) || typeof exp !== 'number') return null;
    if ((nbf !== undefined && !(typeof nbf === 'number' && nbf <= now + CLOCK_SKEW_LEEWAY_SECONDS)) || (iat !== undefined && !(typeof iat === 'number' && iat <= now + CLOCK_SKEW_LEEWAY_SECONDS))) return null;
    if (this.cache.size >= 10_000) this.cache.clear();
    const verified: Verified = { clientId: sub, role, exp };
    this.cache.set(token, verified);
    return this.#remember(header, verified);
  }
}

function unauthorized(message: string): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': 'Bearer realm="lockstep", error="invalid_token"' });
}

const BEARER = /^Bearer +([A-Za-z0-9_\-.=]+) *$/i;

/** 401 unless the request carries a valid token; then 403 unless `allowed(role)`. Sets `principal`. */
export function requireRole(verifier: TokenVerifier, allowed: (role: RoleName) => boolean, what: string): MiddlewareHandler<AppEnv> {
  const admit = (c: Parameters<MiddlewareHandler<AppEnv>>[0], next: () => Promise<void>, principal: Principal | null): Promise<void> => {
    if (!principal) throw unauthorized('Access token validation failure: the token is malformed, badly signed or expired');
    if (!allowed(principal.role)) throw new GraphError(403, 'Forbidden', `Role '${principal.role}' is not allowed to ${what}`);
    c.set('principal', principal);
    return next();
  };
  // Not async: a cached token (the common case) is admitted without a promise of its own.
  return (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw unauthorized('Access token is empty: send an Authorization: Bearer header with a token from POST /oauth2/v2.0/token');
    const last = verifier.lastAdmitted(header);
    if (last) return admit(c, next, last);
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized('The Authorization header is not a Bearer token');
    const cached = verifier.cached(token, header);
    if (cached) return admit(c, next, cached);
    return verifier.verify(token, header).then((principal) => admit(c, next, principal));
  };
}

export const graphRoles = (role: RoleName): boolean => mayReadDevices(role);
export const simRoles = (role: RoleName): boolean => role === SIM_ROLE;

/** RFC 6749 2.3.1: Basic credentials are form-encoded; a malformed escape is taken literally. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function oauthError(error: string, description: string) {
  return { error, error_description: description };
}

/**
 * `POST /oauth2/v2.0/token` and `POST /{tenant}/oauth2/v2.0/token` (client_credentials, form-encoded;
 * client authentication in the body or with HTTP Basic).
 */
export function registerTokenRoutes(app: Hono<AppEnv>, auth: AuthConfig, maxBodyBytes: number, backoff: AuthBackoff = new AuthBackoff()): void {
  const handler = async (c: import('./graph-error.js').AppContext) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return c.json(oauthError('invalid_request', 'The token request must be form-encoded (Content-Type: application/x-www-form-urlencoded)'), 400);
    }
    const form = new URLSearchParams(await readBodyText(c, maxBodyBytes));
    for (const key of new Set(form.keys())) {
      if (form.getAll(key).length > 1) return c.json(oauthError('invalid_request', `The parameter '${key}' is repeated`), 400);
    }
    const grant = form.get('grant_type');
    if (!grant) return c.json(oauthError('invalid_request', "The request body must contain 'grant_type'"), 400);
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(c.req.header('authorization') ?? '');
    // RFC 6749 2.3: one client authentication method per request.
    if (basic?.[1] && form.has('client_secret')) {
      return c.json(oauthError('invalid_request', 'Use one client authentication method: HTTP Basic or client_secret in the body, not both'), 400);
    }
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = formDecode(decoded.slice(0, colon));
        clientSecret = formDecode(decoded.slice(colon + 1));
      }
    }
    // The contract: a wrong secret, an unknown client or another grant type is 400 invalid_client.
    if (grant !== 'client_credentials') {
      return c.json(oauthError('invalid_client', `The grant type '${grant}' is not supported: only client_credentials is (unsupported_grant_type)`), 400);
    }
    if (!clientId || !clientSecret) return c.json(oauthError('invalid_client', "The request must contain 'client_id' and 'client_secret'"), 400);
    const wait = backoff.retryAfterSeconds(clientId);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json(oauthError('temporarily_unavailable', `Too many failed sign-ins for this client; retry after ${wait} s`), 429);
    }
    const client = authenticateClient(auth, clientId, clientSecret);
    if (!client) {
      backoff.failed(clientId);
      return c.json(oauthError('invalid_client', 'Invalid client id or client secret'), 400);
    }
    backoff.succeeded(clientId);
    const token = await signAccessToken(auth, { clientId: client.clientId, role: client.role });
    c.header('Cache-Control', 'no-store');
    return c.json({ token_type: 'Bearer', expires_in: auth.tokenLifetimeSeconds, ext_expires_in: auth.tokenLifetimeSeconds, access_token: token });
  };
  app.post(ROUTES.token.path, handler);
  app.post(ROUTES.tenantToken.path, handler);
  // Root-parameter routes read the tenant from the path, not by name (see router.ts).
  app.get(ROUTES.openIdConfiguration.path, (c) => c.json(openIdConfiguration(originOf(c.req.url), formDecode(c.req.path.split('/')[1] ?? 'common'))));
  // Access tokens are HS256 (a shared secret), so there is no public key to publish.
  app.get(ROUTES.signingKeys.path, (c) => c.json({ keys: [] }));
}

/**
 * The OpenID Connect discovery document of a tenant, as Entra ID publishes it: what MSAL and
 * `@azure/identity` read before they ask for a token. Every URL points back at this server.
 */
export function openIdConfiguration(origin: string, tenant: string): Record<string, unknown> {
  const base = `${origin}/${encodeURIComponent(tenant)}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['HS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'roles', 'tid'],
    tenant_region_scope: null,
    cloud_instance_name: 'lockstep.local',
    cloud_graph_host_name: 'graph.lockstep.local',
    msgraph_host: 'graph.lockstep.local',
  };
}
