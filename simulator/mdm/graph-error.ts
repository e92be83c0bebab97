import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { newRequestId } from './request-id.js';
import type { RoleName } from '../../contract/roles.js';

/** Who is calling, from a verified access token. */
export interface Principal {
  clientId: string;
  role: RoleName;
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
  | 'InvalidAuthenticationToken'
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
  const requestId = c.get('requestId') ?? newRequestId();
  const clientRequestId = c.get('clientRequestId');
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(graphErrorBody(code, message, requestId, clientRequestId), status);
}

/**
 * Marks a response whose `request-id` (and `client-request-id`) headers are already set, so the
 * app's first middleware need not set them (which would turn its plain header record into a
 * `Headers` object, several microseconds per request on the hot paths).
 */
export const IDS_SET: unique symbol = Symbol('lockstep.idsSet');

/** `request-id` and, when the caller sent a valid one, `client-request-id`: what the first middleware adds. */
function idHeaders(c: AppContext, requestId: string): Record<string, string> {
  const clientRequestId = c.get('clientRequestId');
  return clientRequestId ? { 'request-id': requestId, 'client-request-id': clientRequestId } : { 'request-id': requestId };
}

let isoMs = NaN;
let isoText = '';
/** `new Date().toISOString()`, formatted once per millisecond. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}

function stamped(response: Response): Response {
  (response as Response & { [IDS_SET]?: true })[IDS_SET] = true;
  return response;
}

/**
 * What `graphErrorResponse` answers, built in one go with the request ids in a plain header record.
 * Only for code paths where nothing has set response headers through the context (`c.header`)
 * before: those would be lost here, where `c.json` merges them.
 */
export function directGraphErrorResponse(
  c: AppContext,
  status: ContentfulStatusCode,
  code: GraphErrorCode,
  message: string,
  headers?: Readonly<Record<string, string>>,
): Response {
  const requestId = c.get('requestId');
  if (requestId === undefined) return graphErrorResponse(c, status, code, message, headers);
  const clientRequestId = c.get('clientRequestId');
  // JSON.stringify(graphErrorBody(...)), written out: same keys in the same order, same bytes. The
  // code is an identifier and both ids are checked to need no escaping (CLIENT_REQUEST_ID, a UUID).
  const body = `{"error":{"code":"${code}","message":${JSON.stringify(message)},"innerError":{"date":"${isoNow()}","request-id":"${requestId}"${
    clientRequestId ? `,"client-request-id":"${clientRequestId}"` : ''
  }}}}`;
  const record = idHeaders(c, requestId);
  record['content-type'] = 'application/json';
  if (headers) for (const name in headers) record[name.toLowerCase()] = headers[name]!;
  return stamped(new Response(body, { status, headers: record }));
}

/** An empty response (204 and the like) with the request ids set; same conditions as `directGraphErrorResponse`. */
export function directEmptyResponse(c: AppContext, status: 204): Response {
  const requestId = c.get('requestId');
  if (requestId === undefined) return c.body(null, status);
  return stamped(new Response(null, { status, headers: idHeaders(c, requestId) }));
}
