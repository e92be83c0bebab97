import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Role } from './roles.js';

/** Who is calling, from a verified access token. */
export interface Principal {
  clientId: string;
  role: Role;
}

/** Hono environment of the mock MDM app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** A caller's own `client-request-id`, echoed back like Graph does. */
    clientRequestId: string | undefined;
    principal: Principal;
  };
}

export type AppContext = Context<AppEnv>;

/** Graph error codes the app answers with. */
export type GraphErrorCode =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'ResourceNotFound'
  | 'MethodNotAllowed'
  | 'Conflict'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalServerError';

/**
 * A request the app refuses, thrown from anywhere in a handler and turned into the
 * Graph error shape by `app.onError`. Throw it before mutating anything.
 */
export class GraphError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: GraphErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const badRequest = (message: string): GraphError => new GraphError(400, 'BadRequest', message);
export const notFound = (message: string): GraphError => new GraphError(404, 'ResourceNotFound', message);

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id'?: string } };
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId?: string): GraphErrorBody {
  const innerError: GraphErrorBody['error']['innerError'] = { date: new Date().toISOString(), 'request-id': requestId };
  if (clientRequestId) innerError['client-request-id'] = clientRequestId;
  return { error: { code, message, innerError } };
}

/** The Graph error response for this request (the request id is set by the app's first middleware). */
export function graphErrorResponse(
  c: AppContext,
  status: ContentfulStatusCode,
  code: GraphErrorCode,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  const clientRequestId = c.get('clientRequestId');
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(graphErrorBody(code, message, requestId, clientRequestId), status);
}
