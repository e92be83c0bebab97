import type { Hono } from 'hono';
import { ClockError, parseIsoDuration } from '../clock.js';
import { defaultFacts, type DeviceFacts } from '../device-facts.js';
import type { DeviceProfile } from '../device-profile.js';
import { generateDevice, generateFleet, validateFleetOptions } from '../fleet-generator.js';
import { osVersionProblem } from '../os-version.js';
import { isVariantKey, VARIANT_KEYS } from '../../contract/variants.js';
import { requireRole, simRoles, type TokenVerifier } from './auth.js';
import { badRequest, GraphError, notFound, type AppContext, type AppEnv } from './graph-error.js';
import { resolveDeviceId } from './management-routes.js';
import { queryParams, rejectUnknownOptions } from './odata-query.js';
import type { ReferenceMdm, SimEvent } from './reference-mdm.js';
import { optionalBoolean, optionalEnum, optionalString, readJsonObject, rejectUnknownFields } from './request-body.js';
import { routePath } from './route-table.js';
import { serializeDevice } from './serialize.js';
import { MAX_CLOCK_ADVANCE_MS, MAX_CLOCK_ADVANCE_TEXT, unsafeTextProblem } from './hygiene/text-checks.js';
import { registerEventStream } from './sim-events.js';
import { registerSimAppleRoutes } from './sim-apple-routes.js';
import { SYNC_FLEET_LIMIT, type FleetOperations } from './bulk/fleet-operations.js';

export const ENROLL_FIELDS = [
  'variant',
  'osVersion',
  'deviceName',
  'passcodePolicy',
  'workProfilePasswordSet',
  'unlockToken',
  'passcodeCompliancePolicy',
  'supervised',
  'online',
  'devicePasscodeSet',
] as const;
const BOOLEAN_FACTS = ['passcodePolicy', 'workProfilePasswordSet', 'passcodeCompliancePolicy', 'supervised', 'online', 'devicePasscodeSet'] as const;
export const SIM_EVENT_TYPES = ['checkIn', 'enterPasscode', 'setPasscode', 'reboot', 'goOffline', 'goOnline', 'wake'] as const;
export const UNLOCK_TOKEN_VALUES = ['good', 'bad', 'missing'] as const;
export const EVENT_SCOPES = ['device', 'workProfile'] as const;
/** Latest instant the simulated clock may reach (far beyond any scenario, well inside Date's range). */
const CLOCK_LIMIT = Date.UTC(9999, 11, 31);

export interface SimContext {
  mdm: ReferenceMdm;
  verifier: TokenVerifier;
  maxBodyBytes: number;
  /** Fleet posts over SYNC_FLEET_LIMIT devices run as operations (202). */
  operations: FleetOperations;
  /** Largest fleet (`--max-devices`); more is 409 with nothing enrolled. */
  maxDevices: number;
  /** Event-stream subscribers at once (`GET /sim/events`); more is 429. */
  maxSubscribers?: number;
  /** Fleets up to this size are enrolled within the request (SYNC_FLEET_LIMIT; a --workers shard enrolls its part at once). */
  syncFleetLimit?: number;
}

/** Default `--max-devices`: what one process holds comfortably (about 1 KB of heap each). */
export const DEFAULT_MAX_DEVICES = 2_000_000;

/** Validated POST /sim/devices body: a profile ready to enroll. */
function enrollProfile(body: Record<string, unknown>, base: (variant: DeviceFacts['variant']) => DeviceProfile): DeviceProfile {
  rejectUnknownFields(body, ENROLL_FIELDS, 'the device to enroll');
  const variant = body.variant;
  if (variant === undefined) throw badRequest(`Field 'variant' is required: one of ${VARIANT_KEYS.join(', ')}`);
  if (!isVariantKey(variant)) throw badRequest(`Field 'variant' must be one of ${VARIANT_KEYS.join(', ')}`);
  const facts: DeviceFacts = { ...defaultFacts(variant) };
  const osVersion = optionalString(body, 'osVersion', 32);
  if (osVersion !== undefined) {
    const problem = osVersionProblem(variant, osVersion);
    if (problem) throw badRequest(problem);
    facts.osVersion = osVersion;
  }
  for (const key of BOOLEAN_FACTS) {
    const value = optionalBoolean(body, key);
    if (value !== undefined) facts[key] = value;
  }
  facts.unlockToken = optionalEnum(body, 'unlockToken', UNLOCK_TOKEN_VALUES) ?? facts.unlockToken;
  const deviceName = optionalString(body, 'deviceName', 128);
  if (deviceName !== undefined && deviceName.trim() === '') throw badRequest("Field 'deviceName' must not be empty");
  const unsafe = deviceName === undefined ? null : unsafeTextProblem(deviceName);
  if (unsafe) throw badRequest(`Field 'deviceName' ${unsafe}`);
  const profile = base(variant);
  return {
    ...profile,
    deviceName: deviceName ?? profile.deviceName,
    osVersion: facts.osVersion,
    isSupervised: facts.supervised,
    facts,
  };
}

function eventOf(body: Record<string, unknown>): SimEvent {
  rejectUnknownFields(body, ['type', 'passcode', 'scope'], 'the device event');
  if (body.type === undefined) throw badRequest(`Field 'type' is required: one of ${SIM_EVENT_TYPES.join(', ')}`);
  const type = optionalEnum(body, 'type', SIM_EVENT_TYPES)!;
  const passcode = optionalString(body, 'passcode', 64);
  const scope = optionalEnum(body, 'scope', EVENT_SCOPES);
  if (type !== 'enterPasscode' && type !== 'setPasscode') {
    if (passcode !== undefined || scope !== undefined) throw badRequest(`Fields 'passcode' and 'scope' only apply to enterPasscode and setPasscode, not ${type}`);
    return { type };
  }
  if (passcode === '') throw badRequest("Field 'passcode' must not be empty");
  const withScope = scope !== undefined ? { scope } : {};
  if (type === 'setPasscode') {
    if (passcode === undefined) throw badRequest("setPasscode requires the new 'passcode'");
    return { type, passcode, ...withScope };
  }
  return { type, ...(passcode !== undefined ? { passcode } : {}), ...withScope };
}

function clockView(mdm: ReferenceMdm) {
  return { now: mdm.clock.nowIso(), mode: mdm.clock.isRealTime ? ('real' as const) : ('manual' as const) };
}

/** The instant a POST /sim/clock body asks for (validated; never earlier than now). */
function clockTarget(mdm: ReferenceMdm, body: Record<string, unknown>): number {
  rejectUnknownFields(body, ['advance', 'to'], 'the clock request');
  const advance = optionalString(body, 'advance', 64);
  const to = optionalString(body, 'to', 64);
  if ((advance === undefined) === (to === undefined)) throw badRequest("Give exactly one of 'advance' (an ISO 8601 duration like P7DT1H) or 'to' (an ISO 8601 instant)");
  const now = mdm.clock.now();
  let target: number;
  if (advance !== undefined) {
    try {
      const ms = parseIsoDuration(advance);
      if (ms > MAX_CLOCK_ADVANCE_MS) throw badRequest(`'advance' may move the clock at most ${MAX_CLOCK_ADVANCE_TEXT} per request; got '${advance}'`);
      target = now + ms;
    } catch (error) {
      if (error instanceof ClockError) throw badRequest(error.message);
      throw error;
    }
  } else {
    target = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(to!) ? Date.parse(to!) : NaN;
    if (Number.isNaN(target)) throw badRequest(`'to' must be an ISO 8601 instant with a time zone, like 2026-01-12T09:00:00Z; got '${to}'`);
    if (target < now) throw badRequest(`The clock cannot move back to ${new Date(target).toISOString()}: it is ${mdm.clock.nowIso()}`);
    if (target - now > MAX_CLOCK_ADVANCE_MS) throw badRequest(`'to' may move the clock at most ${MAX_CLOCK_ADVANCE_TEXT} ahead per request; it is ${mdm.clock.nowIso()}`);
  }
  if (!(target <= CLOCK_LIMIT)) throw badRequest('That would move the clock past the year 9999');
  return target;
}

export function registerSimRoutes(app: Hono<AppEnv>, ctx: SimContext): void {
  const { mdm } = ctx;
  // Devices enrolled one by one come from their own generated series, away from /sim/fleet seeds.
  const singleSeed = (mdm.seed ^ 0x5eed51) >>> 0;
  let singleIndex = 0;
  const nextProfile = (variant: DeviceFacts['variant']): DeviceProfile => {
    for (;;) {
      const profile = generateDevice(singleSeed, singleIndex++, variant, undefined, undefined, mdm.shardTag);
      if (!mdm.has(profile.id)) return profile;
    }
  };
  const noOptions = (c: AppContext) => rejectUnknownOptions(queryParams(c.req.url), []);
  const device = (c: AppContext) => {
    const given = c.req.param('id') ?? '';
    const record = mdm.get(resolveDeviceId(mdm, given) ?? given);
    if (!record) throw notFound(`No simulated device has id '${given.length > 64 ? `${given.slice(0, 61)}...` : given}'`);
    return record;
  };

  app.use('/sim/*', requireRole(ctx.verifier, simRoles, 'use the simulation API (only sim-controller may)'));

  const roomFor = (count: number) => {
    const after = mdm.size + ctx.operations.reserved + count;
    if (after > ctx.maxDevices) {
      throw new GraphError(409, 'Conflict', `The fleet is limited to ${ctx.maxDevices} devices (--max-devices); it holds ${mdm.size}${ctx.operations.reserved ? ` and ${ctx.operations.reserved} are being enrolled` : ''}, so ${count} more do not fit. Nothing was enrolled`);
    }
  };

  app.post(routePath('enrollDevice'), async (c) => {
    noOptions(c);
    const body = (await readJsonObject(c, ctx.maxBodyBytes, true))!;
    roomFor(1);
    const profile = enrollProfile(body, nextProfile);
    const record = mdm.enroll(profile);
    c.header('Location', `/sim/devices/${profile.id}`);
    return c.json({ ...serializeDevice(mdm, record, false), sim: mdm.truthOf(record) }, 201);
  });

  app.post(routePath('enrollFleet'), async (c) => {
    noOptions(c);
    const body = (await readJsonObject(c, ctx.maxBodyBytes, true))!;
    const { returnIds, ...options } = body;
    if (returnIds !== undefined && typeof returnIds !== 'boolean') throw badRequest("Field 'returnIds' must be a boolean");
    const checked = validateFleetOptions(options);
    if (!checked.ok) throw badRequest(checked.error);
    roomFor(checked.value.count);
    const syncLimit = ctx.syncFleetLimit ?? SYNC_FLEET_LIMIT;
    if (checked.value.count > syncLimit) {
      if (returnIds) throw badRequest(`'returnIds' is only available for fleets of at most ${syncLimit} devices (larger ones are enrolled as an operation); list the devices instead`);
      const op = ctx.operations.start(checked.value);
      c.header('Location', `/sim/operations/${op.id}`);
      c.header('Retry-After', '1');
      return c.json(op, 202);
    }
    const fleet = generateFleet(checked.value, mdm.shardTag);
    // All or nothing: every id is checked before the first device is enrolled.
    const taken = fleet.find((p) => mdm.has(p.id));
    if (taken) {
      throw new GraphError(409, 'Conflict', `Device ${taken.id} of this fleet (seed ${checked.value.seed}) is already enrolled; nothing was enrolled. Use another seed or startIndex, or DELETE /sim/fleet first`);
    }
    for (const profile of fleet) mdm.enroll(profile);
    return c.json({ count: fleet.length, total: mdm.size, ...(returnIds ? { ids: fleet.map((p) => p.id) } : {}) }, 201);
  });

  app.get(routePath('fleetOperation'), (c) => {
    noOptions(c);
    const id = c.req.param('operationId') ?? '';
    const op = ctx.operations.get(id);
    if (!op) throw notFound(`No fleet operation has id '${id.slice(0, 64)}'`);
    return c.json(op);
  });

  app.delete(routePath('clearFleet'), (c) => {
    noOptions(c);
    mdm.clear();
    return c.body(null, 204);
  });

  app.get(routePath('simDevice'), (c) => {
    noOptions(c);
    const record = device(c);
    return c.json({ id: record.profile.id, ...mdm.truthOf(record) });
  });

  app.post(routePath('simDeviceEvent'), async (c) => {
    noOptions(c);
    const event = eventOf((await readJsonObject(c, ctx.maxBodyBytes, true))!);
    const record = device(c);
    const outcome = mdm.deviceEvent(record.profile.id, event);
    if (outcome.kind === 'notFound') throw notFound(`No simulated device has id '${record.profile.id}'`);
    if (outcome.kind === 'rejected') {
      throw new GraphError(409, 'Conflict', `The device cannot take ${event.type} in its current state: ${outcome.reason}`);
    }
    return c.json({ id: record.profile.id, ...outcome.truth });
  });

  app.get(routePath('getClock'), (c) => {
    noOptions(c);
    return c.json(clockView(mdm));
  });

  app.post(routePath('setClock'), async (c) => {
    noOptions(c);
    const target = clockTarget(mdm, (await readJsonObject(c, ctx.maxBodyBytes, true))!);
    mdm.clock.advanceTo(target);
    return c.json(clockView(mdm));
  });

  app.get(routePath('stats'), (c) => {
    noOptions(c);
    const wire = mdm.appleWire;
    // What went over the Apple MDM protocol: the fleet's devices enrolled, every enrollment (devices from outside too), commands by RequestType and answer.
    return c.json(wire ? { ...mdm.stats.view(), appleMdm: { enrolled: wire.enrolled, enrollments: wire.server.enrollments.size, commands: wire.counts } } : mdm.stats.view());
  });

  registerSimAppleRoutes(app, mdm, device);
  registerEventStream(app, mdm, ctx.maxSubscribers !== undefined ? { maxSubscribers: ctx.maxSubscribers } : {});
}
