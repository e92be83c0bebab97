import type { Hono } from 'hono';
import { ACTIONS, type ActionName } from '../../contract/actions.js';
import { graphRoles, requireRole, type TokenVerifier } from './auth.js';
import { badRequest, directEmptyResponse, directGraphErrorResponse, GraphError, notFound, type AppContext, type AppEnv } from './graph-error.js';
import { AuditIndex, DeviceIndex } from './list-index.js';
import { encodeSkipToken, graphQueryParams, parseListQuery, parseSelect, rejectUnknownOptions, type ListSpec } from './odata-query.js';
import { PROPERTY_NAMES_BY_VERSION, type GraphVersionName } from './graph-schema/managed-device.js';
import type { Throttle } from './throttle/throttle.js';
import { originOf } from './request-url.js';
import type { ReferenceMdm } from './reference-mdm.js';
import { optionalBoolean, optionalString, readJsonObject } from './request-body.js';
import { mayAct, maySeeSecrets } from './roles.js';
import { GRAPH_ACTIONS, GRAPH_VERSIONS, routePath } from './route-table.js';
import { AUDIT_FIELDS, AUDIT_FILTER_FIELDS, DEVICE_FILTER_FIELDS, DEVICE_TIME_FILTER_FIELDS, serializeAudit, serializeDevice, type DeviceFilterField } from './serialize.js';

export { GRAPH_ACTIONS, GRAPH_VERSIONS } from './route-table.js';
/** The wipe action's parameters as Graph v1.0 publishes them. */
export const WIPE_FIELDS = ['keepEnrollmentData', 'keepUserData', 'macOsUnlockCode', 'persistEsimDataPlan'];
/** Each action's published parameters (graph-schema/actions.test.ts checks them against the schema). */
export const ACTION_PARAMETERS: Readonly<Record<ActionName, readonly string[]>> = { resetPasscode: [], remoteLock: [], wipe: WIPE_FIELDS };
const MANAGED_DEVICE_TYPE = 'microsoft.graph.managedDevice';

/** 400 with OData's message for a body member the action has no parameter for. */
function rejectUnknownParameters(body: Record<string, unknown>, action: ActionName): void {
  const allowed = ACTION_PARAMETERS[action];
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw badRequest(
        `The parameter '${shortId(key)}' in the request payload is not a valid parameter for the operation '${action}'. Parameters of ${action}: ${allowed.length ? allowed.join(', ') : 'none'}`,
      );
    }
  }
}

export interface ManagementContext {
  mdm: ReferenceMdm;
  verifier: TokenVerifier;
  maxBodyBytes: number;
  /** Graph-style throttling per client (`--throttle`); none by default. */
  throttle?: Throttle;
}

function shortId(id: string): string {
  return id.length > 64 ? `${id.slice(0, 61)}...` : id;
}

function deviceNotFoundMessage(id: string): string {
  return `The managedDevice with id '${shortId(id)}' was not found`;
}

function deviceNotFound(id: string): GraphError {
  return notFound(deviceNotFoundMessage(id));
}

/** Ids are lower-case GUIDs; an upper-case spelling finds the same device, as in Graph. */
export function resolveDeviceId(mdm: ReferenceMdm, id: string): string | null {
  if (mdm.has(id)) return id;
  const lower = id.toLowerCase();
  return mdm.has(lower) ? lower : null;
}

function splitUrl(c: AppContext): { base: string; origin: string } {
  const url = c.req.url;
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  return { base, origin: originOf(base) };
}

/** This request's URL with `$skiptoken` set to the next page's cursor. */
function nextLink(c: AppContext, params: URLSearchParams, token: string): string {
  const parts: string[] = [];
  for (const [k, v] of params) if (k !== '$skiptoken') parts.push(`${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${token}`);
  return `${splitUrl(c).base}?${parts.join('&')}`;
}

function context(c: AppContext, version: string, entitySet: string, select: readonly string[] | null, entity = false): string {
  return `${splitUrl(c).origin}/${version}/$metadata#deviceManagement/${entitySet}${select ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

function notSupportedMessage(mdm: ReferenceMdm, id: string, action: ActionName): string {
  const record = mdm.get(id);
  if (!record) return `${action} is not supported on this device`;
  if (!mdm.isEnrolled(record)) return `${action} is not supported on this device: it has been wiped and is no longer enrolled (recorded as notSupported)`;
  const p = record.profile;
  return `${action} is not supported on this platform (${p.operatingSystem} ${p.osVersion}, ${p.deviceEnrollmentType}); recorded as notSupported`;
}

/** Validates an action's optional body: none for resetPasscode/remoteLock (or `{}`), wipe's four published parameters. */
async function validateActionBody(c: AppContext, action: ActionName, limit: number): Promise<void> {
  const body = await readJsonObject(c, limit, false);
  if (!body) return;
  rejectUnknownParameters(body, action);
  if (action !== 'wipe') return;
  optionalBoolean(body, 'keepEnrollmentData');
  optionalBoolean(body, 'keepUserData');
  optionalString(body, 'macOsUnlockCode', 64);
  optionalBoolean(body, 'persistEsimDataPlan');
}

export function registerManagementRoutes(app: Hono<AppEnv>, ctx: ManagementContext): void {
  const { mdm } = ctx;
  const deviceListSpec = (version: GraphVersionName): ListSpec => ({
    kind: 'd',
    filterFields: DEVICE_FILTER_FIELDS,
    selectFields: PROPERTY_NAMES_BY_VERSION[version],
    entityType: MANAGED_DEVICE_TYPE,
    timeFields: DEVICE_TIME_FILTER_FIELDS,
    expressions: true,
    epoch: mdm.epoch,
    maxCursor: mdm.size,
  });
  const devices = new DeviceIndex(mdm);
  const audits = new AuditIndex(mdm);
  const auth = requireRole(ctx.verifier, graphRoles, 'use the management API (it is for Graph roles; sim-controller may only use /sim)');

  for (const version of GRAPH_VERSIONS) {
    app.use(`/${version}/*`, auth);
    const { throttle } = ctx;
    if (throttle) {
      app.use(`/${version}/*`, (c, next) => {
        const wait = throttle.take(c.get('principal').clientId);
        if (wait > 0) {
          throw new GraphError(429, 'TooManyRequests', `Too many requests from this application: at most ${throttle.spec.requests} per ${throttle.spec.windowSeconds} s. Retry after ${wait} s.`, { 'Retry-After': String(wait) });
        }
        return next();
      });
    }

    const listDevices = async (c: AppContext): Promise<Response> => {
      const params = graphQueryParams(c.req.url, version);
      const q = parseListQuery(params, deviceListSpec(version));
      const scanned = q.where ? await devices.scan(q.where, q.cursor ?? 0, q.top, q.count) : null;
      if (q.where && !scanned) throw badRequest('The fleet was cleared (DELETE /sim/fleet) while this list was read; ask again');
      const page = scanned ? scanned.page : devices.page(q.filter, q.cursor ?? 0, q.top);
      const seeSecrets = maySeeSecrets(c.get('principal').role);
      const body: Record<string, unknown> = { '@odata.context': context(c, version, 'managedDevices', q.select) };
      if (q.count) body['@odata.count'] = scanned ? scanned.count : devices.count(q.filter);
      if (page.next !== null) body['@odata.nextLink'] = nextLink(c, params, encodeSkipToken('d', mdm.epoch, page.next));
      body.value = page.items.map((r) => serializeDevice(mdm, r, seeSecrets, q.select, version));
      return c.json(body);
    };
    app.get(routePath('listDevices', version), (c) => {
      // A filter on a field whose index is far behind (the first one on a large fleet): build the
      // index in slices that yield, then answer; validation errors still come at once.
      const q = parseListQuery(graphQueryParams(c.req.url, version), deviceListSpec(version));
      const fields = q.filter.map((f) => f.field as DeviceFilterField);
      if (fields.length > 0 && devices.needsPreparing(fields)) {
        return (async (): Promise<Response> => {
          await devices.prepare(fields);
          return listDevices(c);
        })();
      }
      return listDevices(c);
    });

    app.get(routePath('getDevice', version), (c) => {
      const params = graphQueryParams(c.req.url, version);
      rejectUnknownOptions(params, ['$select']);
      const select = parseSelect(params.get('$select'), PROPERTY_NAMES_BY_VERSION[version], MANAGED_DEVICE_TYPE);
      const id = c.req.param('id') ?? '';
      const record = mdm.get(resolveDeviceId(mdm, id) ?? id);
      if (!record) throw deviceNotFound(id);
      const seeSecrets = maySeeSecrets(c.get('principal').role);
      return c.json({ '@odata.context': context(c, version, 'managedDevices', select, true), ...serializeDevice(mdm, record, seeSecrets, select, version) });
    });

    for (const action of GRAPH_ACTIONS) {
      const act = (c: AppContext): Response => {
        const given = c.req.param('id') ?? '';
        const id = resolveDeviceId(mdm, given) ?? given;
        const outcome = mdm.requestAction(id, action, c.get('principal').clientId);
        // The outcomes are answered directly (what onError would make of the thrown GraphError):
        // these are the hot paths of a fleet-wide reset, and nothing above set a header.
        switch (outcome.kind) {
          case 'accepted':
            return directEmptyResponse(c, 204);
          case 'notSupported':
            return directGraphErrorResponse(c, 400, 'BadRequest', notSupportedMessage(mdm, id, action));
          case 'alreadyPending':
            return directGraphErrorResponse(c, 409, 'Conflict', `${action} is already pending for this device; wait until it completes`);
          case 'notFound':
            return directGraphErrorResponse(c, 404, 'ResourceNotFound', deviceNotFoundMessage(given));
        }
      };
      // Not async: without a body (the usual request) the answer needs no promise of its own.
      app.post(routePath('deviceAction', version, action), (c): Response | Promise<Response> => {
        const principal = c.get('principal');
        // RB-3: a role that may not act gets 403 and leaves no trace, whether or not the device exists.
        if (!mayAct(principal.role, action)) throw new GraphError(403, 'Forbidden', `Role '${principal.role}' may not run ${action}`);
        if (c.req.url.includes('?')) rejectUnknownOptions(graphQueryParams(c.req.url, version), []);
        if (c.req.raw.body || c.req.header('content-type') !== undefined) return validateActionBody(c, action, ctx.maxBodyBytes).then(() => act(c));
        return act(c);
      });
    }

    if (version === 'beta') app.get(routePath('listAudits'), (c) => {
      const params = graphQueryParams(c.req.url, version);
      const q = parseListQuery(params, {
        kind: 'a',
        filterFields: AUDIT_FILTER_FIELDS,
        selectFields: AUDIT_FIELDS,
        entityType: 'microsoft.graph.remoteActionAudit',
        epoch: mdm.auditEpoch,
        maxCursor: mdm.auditCount - 1,
      });
      const page = audits.page(q.filter, q.cursor, q.top);
      const body: Record<string, unknown> = { '@odata.context': context(c, version, 'remoteActionAudits', q.select) };
      if (q.count) body['@odata.count'] = audits.count(q.filter);
      if (page.next !== null) body['@odata.nextLink'] = nextLink(c, params, encodeSkipToken('a', mdm.auditEpoch, page.next));
      body.value = page.items.map((a) => serializeAudit(mdm, a, q.select));
      return c.json(body);
    });
  }
}
