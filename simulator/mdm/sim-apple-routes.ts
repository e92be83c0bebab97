/**
 * The simulation API for an Apple device's own side of the Apple MDM protocol, so that a harness
 * can judge the server from the device side (rows AP-1..AP-10) through HTTP alone:
 * `GET /sim/devices/{id}/apple` shows what the device received (shapes, never a token or PIN);
 * `POST` with {"action": "enroll" | "poll" | "tokenUpdate" | "checkOut" | "notNow"} makes it act.
 */
import type { Hono } from 'hono';
import { badRequest, GraphError, type AppContext, type AppEnv } from './graph-error.js';
import { queryParams, rejectUnknownOptions } from './odata-query.js';
import type { AppleDeviceRequest, DeviceRecord, ReferenceMdm } from './reference-mdm.js';
import { optionalBoolean, optionalEnum, readJsonObject, rejectUnknownFields } from './request-body.js';
import { routePath } from './route-table.js';

const ACTIONS = ['enroll', 'poll', 'tokenUpdate', 'checkOut', 'notNow'] as const;

function notOnTheWire(record: DeviceRecord, mdm: ReferenceMdm): GraphError {
  const why = mdm.appleWire ? `a ${record.profile.facts.variant} device is not on the Apple MDM protocol` : 'this server takes Apple commands in-process (--apple-commands direct)';
  return new GraphError(409, 'Conflict', `The device has no Apple MDM side: ${why}`);
}

function requestOf(body: Record<string, unknown>): AppleDeviceRequest {
  rejectUnknownFields(body, ['action', 'rotateUnlockToken', 'withoutUnlockToken', 'count'], 'the Apple device request');
  if (body.action === undefined) throw badRequest(`Field 'action' is required: one of ${ACTIONS.join(', ')}`);
  const action = optionalEnum(body, 'action', ACTIONS)!;
  const rotate = optionalBoolean(body, 'rotateUnlockToken');
  const without = optionalBoolean(body, 'withoutUnlockToken');
  if (action !== 'tokenUpdate' && (rotate !== undefined || without !== undefined)) throw badRequest("Fields 'rotateUnlockToken' and 'withoutUnlockToken' only apply to tokenUpdate");
  if (rotate && without) throw badRequest('A TokenUpdate cannot both rotate the UnlockToken and leave it out');
  if (action !== 'notNow' && body.count !== undefined) throw badRequest("Field 'count' only applies to notNow");
  switch (action) {
    case 'notNow': {
      const count = body.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100) throw badRequest("notNow needs 'count', an integer from 1 to 100");
      return { action, count };
    }
    case 'tokenUpdate':
      return { action, ...(rotate !== undefined ? { rotateUnlockToken: rotate } : {}), ...(without !== undefined ? { withoutUnlockToken: without } : {}) };
    default:
      return { action };
  }
}

export function registerSimAppleRoutes(app: Hono<AppEnv>, mdm: ReferenceMdm, device: (c: AppContext) => DeviceRecord): void {
  app.get(routePath('simAppleDevice'), (c) => {
    rejectUnknownOptions(queryParams(c.req.url), []);
    const record = device(c);
    if (!mdm.appleWire?.handles(record.profile.facts.variant)) throw notOnTheWire(record, mdm);
    const view = mdm.appleWire.view(record);
    return c.json({ id: record.profile.id, enrolled: view !== null, ...(view ?? { checkedOut: false, lockPinDigest: null, receivedTotal: 0, received: [] }) });
  });

  app.post(routePath('simAppleDeviceStep'), async (c) => {
    rejectUnknownOptions(queryParams(c.req.url), []);
    const request = requestOf((await readJsonObject(c, 64 * 1024, true))!);
    const record = device(c);
    const outcome = mdm.appleStep(record.profile.id, request);
    if (outcome === 'notApple' || outcome === 'notFound') throw notOnTheWire(record, mdm);
    if (typeof outcome === 'string') throw new GraphError(409, 'Conflict', `The device cannot ${request.action} in its current state: ${outcome}`);
    return c.json({ id: record.profile.id, handled: outcome });
  });
}
