/**
 * Fuzz steps: the data form of one fuzz command (what a reproducer's JSON holds), how each
 * reads, and how it runs against a target: do the thing, observe the device through both
 * faces, and let the oracle (model.ts) judge what was observed.
 *
 * The same executor serves the fuzzer (over a LockstepClient) and a replayed reproducer
 * (over a ScenarioContext), so a reproducer checks exactly what the fuzzer checked.
 */
import type { ActionName } from '../../contract/actions.js';
import type { ActionResult, Audit, EnrollSpec, SimEvent, Truth } from '../../contract/wire.js';
import type { LockstepClient, Reply } from '../client.js';
import { TargetError } from '../client.js';
import type { Actor, GraphRole } from './catalogue.js';
import { listChecks, readList, type ListName } from './lists.js';
import { ADMIN_READER, describeEvent, MINUTE_MS, DAY_MS, type Check, type FleetModel, type ModelEvent, type Observation } from './model.js';

/** Clock moves, in the order shrinking prefers them: PT1H first (past the convergence deadline, so a reproducer does not depend on push latency). */
export const DURATIONS = {
  PT1H: 60 * MINUTE_MS,
  PT10S: 10_000,
  P1D: DAY_MS,
  P7DT1H: 7 * DAY_MS + 60 * MINUTE_MS,
  // Offline periods that end inside the seven-day window, then cross its end counted from the request (TP-3).
  P3D: 3 * DAY_MS,
  P3DT23H: 3 * DAY_MS + 23 * 60 * MINUTE_MS,
  PT2H: 2 * 60 * MINUTE_MS,
} as const;
export type Duration = keyof typeof DURATIONS;

/** One step of a fuzz run. Devices are numbered in the order the run enrolled them. */
export type Step =
  | { op: 'enroll'; spec: EnrollSpec }
  | { op: 'act'; device: number; action: ActionName; role: Actor }
  | { op: 'event'; device: number; event: ModelEvent }
  | { op: 'advance'; duration: Duration }
  | { op: 'audits'; device: number }
  | { op: 'list'; list: ListName; role: Actor; top: number };

/** A passcode no temporary passcode or PIN can be (those are digits only). */
export const WRONG_PASSCODE = 'wrong-0000';
/** Passcodes users set for themselves. */
export const USER_PASSCODES = ['2468', '13572468', 'own-pass-99'] as const;

/** The transport a step runs over: a LockstepClient for the fuzzer, a ScenarioContext for a replay. */
export interface FuzzIO {
  enroll(spec: EnrollSpec): Promise<{ status: number; id?: string; truth?: Truth }>;
  act(actor: Actor, id: string, action: ActionName): Promise<number>;
  view(role: GraphRole, id: string): Promise<{ status: number; results?: ActionResult[] }>;
  truth(id: string): Promise<{ status: number; truth?: Truth }>;
  event(id: string, event: SimEvent): Promise<number>;
  advance(duration: Duration): Promise<number>;
  audits(id: string): Promise<Audit[] | null>;
  /** A GET under the Graph root (`/managedDevices?$top=2`) or of an @odata.nextLink, as a role or with no token. */
  get(actor: Actor, path: string): Promise<{ status: number; body: unknown }>;
}

function facts(spec: EnrollSpec): string {
  const parts: string[] = [];
  if (spec.osVersion) parts.push(`OS ${spec.osVersion}`);
  if (spec.online === false) parts.push('offline');
  if (spec.devicePasscodeSet !== undefined) parts.push(spec.devicePasscodeSet ? 'device passcode set' : 'no device passcode');
  if (spec.passcodePolicy !== undefined) parts.push(spec.passcodePolicy ? 'passcode policy' : 'no passcode policy');
  if (spec.workProfilePasswordSet !== undefined) parts.push(spec.workProfilePasswordSet ? 'work-profile password set' : 'no work-profile password');
  if (spec.unlockToken) parts.push(`unlock token ${spec.unlockToken}`);
  if (spec.passcodeCompliancePolicy !== undefined) parts.push(spec.passcodeCompliancePolicy ? 'passcode compliance policy' : 'no compliance policy');
  if (spec.supervised !== undefined) parts.push(spec.supervised ? 'supervised' : 'unsupervised');
  return parts.join('; ');
}

/** One readable line per step. */
export function describeStep(step: Step): string {
  switch (step.op) {
    case 'enroll':
      return `enroll ${/^[aeiou]/.test(step.spec.variant) ? 'an' : 'a'} ${step.spec.variant} device (${facts(step.spec)})`;
    case 'act':
      return `${step.role ?? 'no token'}: ${step.action} on device #${step.device}`;
    case 'event':
      return `device #${step.device}: ${describeEvent(step.event)}`;
    case 'advance':
      return `advance the clock by ${step.duration}`;
    case 'audits':
      return `read the Device actions list for device #${step.device}`;
    case 'list':
      return `${step.role ?? 'no token'}: read ${step.list} ${step.top} at a time`;
  }
}

/**
 * A generated step's device number is taken modulo the devices enrolled so far, so that
 * every device step of a run lands on some device (the reproducer records the resolved one).
 */
export function resolveStep(model: FleetModel, step: Step): Step {
  if (step.op === 'enroll' || step.op === 'advance' || step.op === 'list') return step;
  const n = model.devices.length;
  return n === 0 || step.device < n ? step : { ...step, device: step.device % n };
}

/** Whether the step makes sense in the model's current state (fast-check's `check`). */
export function canRun(model: FleetModel, step: Step): boolean {
  switch (step.op) {
    case 'enroll':
      return model.canEnroll();
    case 'act':
      return model.canAct(step.device, step.action);
    case 'event':
      return model.canEvent(step.device, step.event);
    case 'advance':
    case 'list':
      return true;
    case 'audits':
      return step.device < model.devices.length;
  }
}

async function observe(io: FuzzIO, id: string, viewer: GraphRole): Promise<Observation> {
  const truth = await io.truth(id);
  const view = await io.view(viewer, id);
  return {
    truthStatus: truth.status,
    ...(truth.truth ? { truth: truth.truth } : {}),
    viewStatus: view.status,
    ...(view.results ? { results: view.results } : {}),
    viewer,
  };
}

function simEvent(model: FleetModel, index: number, event: ModelEvent): SimEvent {
  switch (event.type) {
    case 'enterPasscode': {
      const scope = event.scope === 'workProfile' ? { scope: 'workProfile' as const } : {};
      if (event.passcode === 'own') return { type: 'enterPasscode', ...scope };
      const passcode = event.passcode === 'learned' ? model.secretFor(index, event.scope) : WRONG_PASSCODE;
      return { type: 'enterPasscode', passcode: passcode ?? WRONG_PASSCODE, ...scope };
    }
    case 'setPasscode':
      return { type: 'setPasscode', passcode: event.passcode, ...(event.scope === 'workProfile' ? { scope: 'workProfile' as const } : {}) };
    default:
      return { type: event.type };
  }
}

/** Runs one step and returns every comparison the oracle made (failed ones have ok: false). */
export async function runStep(model: FleetModel, io: FuzzIO, step: Step): Promise<Check[]> {
  switch (step.op) {
    case 'enroll':
      return model.enrolled(step.spec, await io.enroll(step.spec));
    case 'act': {
      const d = model.device(step.device)!;
      const status = await io.act(step.role, d.id, step.action);
      return model.acted(step.device, step.action, step.role, status, await observe(io, d.id, step.role ?? ADMIN_READER));
    }
    case 'event': {
      const d = model.device(step.device)!;
      const status = await io.event(d.id, simEvent(model, step.device, step.event));
      return model.evented(step.device, step.event, status, await observe(io, d.id, ADMIN_READER));
    }
    case 'advance': {
      const status = await io.advance(step.duration);
      const seen = new Map<number, Observation>();
      for (const d of model.devices) if (!d.wiped) seen.set(d.index, await observe(io, d.id, ADMIN_READER));
      return model.advanced(step.duration, DURATIONS[step.duration], status, seen);
    }
    case 'audits':
      return model.auditsRead(step.device, await io.audits(model.devices[step.device]!.id));
    case 'list': {
      const paged = await readList(io, step.role, step.list, step.top);
      const whole = await readList(io, step.role, step.list, 1000);
      return listChecks(step.list, step.role, step.top, paged, whole, model.devices, model.secrets());
    }
  }
}

// ---- Transport over a LockstepClient ----

interface ManagedDeviceBody {
  deviceActionResults?: unknown;
}

/** The fuzzer's transport: the contract over HTTP (or msw for the embedded target). */
export function clientIO(client: LockstepClient): FuzzIO & { reset(): Promise<void> } {
  const sim = <T>(method: string, path: string, body?: unknown): Promise<Reply<T>> => client.request<T>('sim-controller', method, path, body);
  return {
    async reset() {
      const reply = await sim('DELETE', '/sim/fleet');
      if (reply.status !== 204 && reply.status !== 200) throw new TargetError(`DELETE /sim/fleet answered HTTP ${reply.status}; the fuzzer needs a fresh fleet for every run`);
    },
    async enroll(spec) {
      const reply = await sim<{ id?: unknown; sim?: Truth }>('POST', '/sim/devices', spec);
      const id = typeof reply.body?.id === 'string' ? reply.body.id : undefined;
      return { status: reply.status, ...(id ? { id } : {}), ...(reply.body?.sim ? { truth: reply.body.sim } : {}) };
    },
    async act(actor, id, action) {
      return (await client.request(actor, 'POST', client.graphPath(`/managedDevices/${id}/${action}`))).status;
    },
    async view(role, id) {
      const reply = await client.request<ManagedDeviceBody>(role, 'GET', client.graphPath(`/managedDevices/${id}`));
      const results = reply.body?.deviceActionResults;
      return { status: reply.status, ...(Array.isArray(results) ? { results: results as ActionResult[] } : {}) };
    },
    async truth(id) {
      const reply = await sim<Truth>('GET', `/sim/devices/${id}`);
      return { status: reply.status, ...(reply.status === 200 && reply.body ? { truth: reply.body } : {}) };
    },
    async event(id, event) {
      return (await sim('POST', `/sim/devices/${id}/events`, event)).status;
    },
    async advance(duration) {
      return (await sim('POST', '/sim/clock', { advance: duration })).status;
    },
    async get(actor, path) {
      const relative = /^https?:\/\//.test(path) ? path.replace(/^https?:\/\/[^/]+/, '').slice(client.baseUrl.replace(/^https?:\/\/[^/]+/, '').length) : client.graphPath(path);
      const reply = await client.request(actor, 'GET', relative);
      return { status: reply.status, body: reply.body };
    },
    async audits(id) {
      const found: Audit[] = [];
      let path: string | null = client.graphPath('/remoteActionAudits?$top=1000');
      for (let page = 0; path && page < 50; page++) {
        const reply: Reply<{ value?: Audit[]; '@odata.nextLink'?: string }> = await client.request(ADMIN_READER, 'GET', path);
        if (reply.status !== 200 || !Array.isArray(reply.body?.value)) return null;
        for (const a of reply.body.value) if (a.managedDeviceId === id) found.push(a);
        const next: string | undefined = reply.body['@odata.nextLink'];
        path = next ? next.replace(/^https?:\/\/[^/]+/, '').slice(client.baseUrl.replace(/^https?:\/\/[^/]+/, '').length) : null;
      }
      return found;
    },
  };
}
