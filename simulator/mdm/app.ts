import { Hono, type ErrorHandler, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { H, RouterRoute } from 'hono/types';
import { registerTokenRoutes, TokenVerifier, type AuthConfig } from './auth.js';
import { directGraphErrorResponse, GraphError, graphErrorResponse, IDS_SET, type AppContext, type AppEnv } from './graph-error.js';
import { registerManagementRoutes } from './management-routes.js';
import { Throttle, type ThrottleSpec } from './throttle/throttle.js';
import { buildOpenApi } from './openapi.js';
import type { ReferenceMdm } from './reference-mdm.js';
import { declaredLengthProblem, DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { AppRouter } from './router.js';
import { newRequestId } from './request-id.js';
import { registerAppleRoutes } from '../apple/reference-routes.js';
import { DEFAULT_MAX_DEVICES, registerSimRoutes } from './sim-routes.js';
import { AuthBackoff } from './admission/auth-backoff.js';
import { FleetOperations, type FleetSlice } from './bulk/fleet-operations.js';

export interface AppOptions {
  mdm: ReferenceMdm;
  auth: AuthConfig;
  /** One line per request: method, path, status, milliseconds, request id. Never bodies, headers or secrets. */
  log?: (line: string) => void;
  /** Largest accepted request body in bytes (64 KiB). */
  maxBodyBytes?: number;
  /** Largest fleet (`--max-devices`, DEFAULT_MAX_DEVICES). */
  maxDevices?: number;
  /** Event-stream subscribers at once (64). */
  maxSubscribers?: number;
  /** Fleets up to this size are enrolled within the request (10 000; shards behind a --workers front: all). */
  syncFleetLimit?: number;
  /** Called with each slice of an asynchronous fleet post once it is enrolled (the durable journal records it). */
  onFleetSlice?: (slice: FleetSlice) => void;
  /** Graph-style 429 with Retry-After past this per-client rate (`--throttle`). */
  throttle?: ThrottleSpec;
  /** The throttle's wall clock in ms (Date.now); tests move it instead of sleeping. */
  throttleClock?: () => number;
  /** The Apple admin API's key (`--apple-api-key`); without one that API refuses every request. */
  appleApiKey?: string;
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A compiled route pattern, for telling 404 from 405. */
interface RoutePattern {
  regex: RegExp;
  method: string;
}

function compile(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The mock MDM's HTTP app: the Graph-shaped management API under /v1.0 and /beta, the
 * simulation API under /sim, the token endpoint and the OpenAPI document. Usable in-process
 * through `app.fetch` and over a socket.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { mdm, auth, log } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const verifier = new TokenVerifier(auth);
  const router = new AppRouter<[H, RouterRoute]>();
  const app = new Hono<AppEnv>({ router });
  router.chainWith(() => handleError);

  // Not async: under the chained router (router.ts) a request answered at once costs no promise here.
  const requestIds: MiddlewareHandler<AppEnv> = (c, next) => {
    const started = log ? performance.now() : 0;
    const requestId = newRequestId();
    c.set('requestId', requestId);
    const clientRequestId = c.req.header('client-request-id');
    c.set('clientRequestId', clientRequestId && CLIENT_REQUEST_ID.test(clientRequestId) ? clientRequestId : undefined);
    const tooBig = declaredLengthProblem(c.req.header('content-length'), maxBodyBytes);
    if (tooBig) {
      c.res = directGraphErrorResponse(c, tooBig.status, tooBig.code, tooBig.message);
      return finishRequest(c, requestId, started) as unknown as Promise<void>;
    }
    const rest: unknown = next();
    // No closure unless the rest of the chain is asynchronous: this runs on every request.
    return (rest instanceof Promise ? rest.then(() => finishRequest(c, requestId, started)) : finishRequest(c, requestId, started)) as Promise<void>;
  };
  // Route errors are turned into responses by onError inside next(), so c.res is final here.
  const finishRequest = (c: AppContext, requestId: string, started: number): undefined => {
    const res = c.res as Response & { [IDS_SET]?: true };
    if (res[IDS_SET] !== true) {
      res.headers.set('request-id', requestId);
      const echoed = c.get('clientRequestId');
      if (echoed) res.headers.set('client-request-id', echoed);
    }
    if (log) log(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms ${requestId}`);
    return undefined;
  };
  app.use('*', requestIds);

  app.get('/openapi.json', (c) => c.json(buildOpenApi()));
  registerTokenRoutes(app, auth, maxBodyBytes, new AuthBackoff());
  registerManagementRoutes(app, { mdm, verifier, maxBodyBytes, ...(options.throttle ? { throttle: new Throttle(options.throttle, options.throttleClock) } : {}) });
  registerSimRoutes(app, {
    mdm,
    verifier,
    maxBodyBytes,
    operations: new FleetOperations(mdm, options.onFleetSlice),
    maxDevices: options.maxDevices ?? DEFAULT_MAX_DEVICES,
    ...(options.maxSubscribers !== undefined ? { maxSubscribers: options.maxSubscribers } : {}),
    ...(options.syncFleetLimit !== undefined ? { syncFleetLimit: options.syncFleetLimit } : {}),
  });

  registerAppleRoutes(app, { server: mdm.appleWire?.server, apiKey: options.appleApiKey ?? null });

  let patterns: RoutePattern[] | null = null;
  const allowedMethods = (path: string): string[] => {
    patterns ??= app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ regex: compile(r.path), method: r.method }));
    const methods = new Set<string>();
    for (const p of patterns) if (p.regex.test(path)) methods.add(p.method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };

  app.notFound((c) => {
    const path = c.req.path;
    const shown = path.length > 200 ? `${path.slice(0, 197)}...` : path;
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      return directGraphErrorResponse(c, 405, 'MethodNotAllowed', `${c.req.method} is not allowed on ${shown}; allowed: ${allowed.join(', ')}`, {
        Allow: allowed.join(', '),
      });
    }
    const segment = unknownGraphSegment(path);
    if (segment !== null) return directGraphErrorResponse(c, 400, 'BadRequest', `Resource not found for the segment '${segment.length > 80 ? `${segment.slice(0, 77)}...` : segment}'.`);
    return directGraphErrorResponse(c, 404, 'ResourceNotFound', `no route ${c.req.method} ${shown}`);
  });

  const handleError: ErrorHandler<AppEnv> = (error, c) => {
    if (error instanceof GraphError) return graphErrorResponse(c, error.status, error.code, error.message, error.headers);
    if (error instanceof HTTPException && error.status < 500) {
      return graphErrorResponse(c as AppContext, error.status as 400, 'BadRequest', 'The request could not be processed');
    }
    log?.(`error ${c.req.method} ${c.req.path} ${c.get('requestId') ?? ''}: ${error instanceof Error ? error.name : typeof error}`);
    return graphErrorResponse(c, 500, 'InternalServerError', 'An unexpected error occurred; the request id identifies it in the server log');
  };
  app.onError(handleError);

  return app;
}

/** Graph's own answer to a path under a version that names no resource: 400 for the first unknown segment. */
function unknownGraphSegment(path: string): string | null {
  const segments = path.split('/');
  const version = segments[1];
  if (version !== 'v1.0' && version !== 'beta') return null;
  const known = ['deviceManagement', version === 'beta' ? 'managedDevices|remoteActionAudits' : 'managedDevices'];
  for (let i = 0; i < known.length; i++) {
    const segment = segments[i + 2];
    if (segment === undefined || segment === '') return null;
    if (!known[i]!.split('|').includes(segment)) return decodeSegment(segment);
  }
  // managedDevices/{id}/{action}: an action Graph does not bind (or one lockstep does not model).
  const action = segments[5];
  return segments[3] === 'managedDevices' && action !== undefined && action !== '' ? decodeSegment(action) : null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
