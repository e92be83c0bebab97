import type { AppleFacet } from '../scenarios/apple-dsl.js';
import type { ActionName } from '../contract/actions.js';
import type { RoleName } from '../contract/roles.js';
import type { ActionResult, Audit, EnrollSpec, SimEvent, Truth } from '../contract/wire.js';
import type { AdminView, CheckDetail, Device, Scenario, ScenarioContext } from '../scenarios/dsl.js';
import { resultInvariants, truthInvariants, type Violation } from '../scenarios/invariants.js';
import { requirement } from '../scenarios/requirements.js';
import { TargetError, type LockstepClient, type Reply } from './client.js';
import { EvidenceRecorder } from './evidence-recorder.js';
import type { Finding } from '../contract/result-model.js';

/** A step could not go on (the target answered outside the contract): the scenario ends as `error`. */
export class ScenarioAbort extends Error {}

/** The scenario chose not to run on this target. */
export class ScenarioSkip extends Error {}

interface ManagedDeviceBody {
  id?: string;
  deviceActionResults?: ActionResult[];
}

export interface ContextRecord {
  findings: Finding[];
  checks: number;
  /** Secrets the scenario saw (temporary passcodes, PINs): redacted from every finding. */
  secrets: Set<string>;
  evidence: EvidenceRecorder;
}

/** Devices named by one finding are capped: a fleet finding names the first ones and counts the rest. */
export const DEVICES_PER_FINDING = 50;

export function createScenarioContext(
  client: LockstepClient,
  scenario: Scenario,
  seed: number,
  onProgress?: (done: number, total: number) => void,
  apple?: AppleFacet,
): { context: ScenarioContext; record: ContextRecord } {
  const secrets = new Set<string>();
  const record: ContextRecord = { findings: [], checks: 0, secrets, evidence: new EvidenceRecorder(secrets) };
  // Every request goes through here, so each finding can show the exchanges that led to it.
  const call = async <T>(role: RoleName | null, method: string, path: string, body?: unknown): Promise<Reply<T>> => {
    const reply = await client.request<T>(role, method, path, body);
    record.evidence.record(role, method, path, body, reply.status, reply.body, reply.requestId);
    return reply;
  };
  const sim = (method: string, path: string, body?: unknown) => call('sim-controller', method, path, body);

  const expectStatus = <T>(reply: Reply<T>, allowed: number[], what: string): Reply<T> => {
    if (!allowed.includes(reply.status)) {
      throw new ScenarioAbort(`${what} answered HTTP ${reply.status}${errorMessage(reply.body)}; expected ${allowed.join(' or ')}`);
    }
    return reply;
  };

  const redact = (text: string): string => {
    let out = text;
    for (const secret of record.secrets) if (secret) out = out.split(secret).join('[redacted]');
    return out;
  };

  const addFinding = (id: string, what: string, expected: string, observed: string, detail?: CheckDetail) => {
    const req = requirement(id);
    const devices = detail?.devices?.slice(0, DEVICES_PER_FINDING);
    const total = detail?.devicesTotal ?? detail?.devices?.length ?? 0;
    record.findings.push({
      requirement: id, level: req.level, statement: req.statement, check: what, expected: redact(expected), observed: redact(observed),
      evidence: record.evidence.evidenceFor(devices),
      ...(devices && devices.length > 0 ? { devices, ...(total > devices.length ? { devicesTotal: total } : {}) } : {}),
    });
  };

  // Invariants hold at every observation: each read of the truth or the admin view checks them
  // (once per rule and scenario, so one broken rule reads as one finding).
  const reported = new Set<string>();
  const holds = (violations: Violation[]) => {
    record.checks++;
    for (const v of violations) {
      const key = `${v.requirement}|${v.what}`;
      if (reported.has(key)) continue;
      reported.add(key);
      addFinding(v.requirement, `${v.what} (invariant)`, v.expected, v.observed);
    }
  };

  const learnSecrets = (results: ActionResult[] | undefined) => {
    for (const r of results ?? []) {
      if (typeof r.passcode === 'string' && r.passcode) record.secrets.add(r.passcode);
      if (typeof r.unlockPin === 'string' && r.unlockPin) record.secrets.add(r.unlockPin);
    }
  };

  const admin = (role: RoleName | null): AdminView => {
    const act = async (device: Device, action: ActionName, body?: unknown) =>
      (await call(role, 'POST', client.graphPath(`/managedDevices/${device.id}/${action}`), body)).status;
    return {
      resetPasscode: (device) => act(device, 'resetPasscode'),
      remoteLock: (device) => act(device, 'remoteLock'),
      wipe: (device, body) => act(device, 'wipe', body),
      read: async (device) => (await call(role, 'GET', client.graphPath(`/managedDevices/${device.id}`))).status,
      async actionResult(device, action) {
        const reply = expectStatus(
          await call<ManagedDeviceBody>(role, 'GET', client.graphPath(`/managedDevices/${device.id}`)),
          [200],
          `GET managedDevices/${device.id} as ${role}`,
        );
        const results = reply.body?.deviceActionResults;
        if (!Array.isArray(results)) throw new ScenarioAbort(`managedDevice ${device.id} has no deviceActionResults array`);
        learnSecrets(results);
        holds(resultInvariants(device.variant, role, results));
        return results.find((r) => r.actionName === action);
      },
      async get(path, version) {
        const relative = /^https?:\/\//.test(path) ? path.replace(/^https?:\/\/[^/]+/, '') : client.graphPath(path, version);
        const reply = await client.request(role, 'GET', relative);
        if (reply.status === 200) learnSecrets((reply.body as { deviceActionResults?: ActionResult[] })?.deviceActionResults);
        return { status: reply.status, body: reply.body };
      },
      async post(path, body, version) {
        const reply = await call(role, 'POST', client.graphPath(path, version), body);
        return { status: reply.status, body: reply.body };
      },
      async audits(device) {
        const found: Audit[] = [];
        let path: string | null = client.graphPath(`/remoteActionAudits?$top=1000`);
        // The Device actions list is newest first; a scenario's own actions sit on its first pages.
        for (let page = 0; path && page < 50; page++) {
          const reply: Reply<{ value?: Audit[]; '@odata.nextLink'?: string }> = expectStatus(
            await call(role, 'GET', path),
            [200],
            'GET remoteActionAudits',
          );
          for (const a of reply.body?.value ?? []) if (a.managedDeviceId === device.id) found.push(a);
          const next: string | undefined = reply.body?.['@odata.nextLink'];
          path = next ? next.replace(/^https?:\/\/[^/]+/, '') : null;
        }
        return found;
      },
    };
  };

  const context: ScenarioContext = {
    seed,
    async enroll(spec: EnrollSpec) {
      const reply = expectStatus(await sim('POST', '/sim/devices', spec), [201], `enrolling a ${spec.variant} device`);
      const body = reply.body as { id?: unknown };
      if (typeof body?.id !== 'string') throw new ScenarioAbort('POST /sim/devices answered without a device id');
      return { id: body.id, variant: spec.variant };
    },
    as: admin,
    async event(device: Device, event: SimEvent) {
      const reply = await sim('POST', `/sim/devices/${device.id}/events`, event);
      if (reply.status !== 200 && reply.status !== 409) expectStatus(reply, [200, 409], `device event ${event.type}`);
      return reply.status;
    },
    async checkIn(device: Device) {
      // 409: a wiped device no longer checks in.
      expectStatus(await sim('POST', `/sim/devices/${device.id}/events`, { type: 'checkIn' }), [200, 409], 'device check-in');
    },
    async truth(device: Device) {
      const reply = expectStatus(await sim('GET', `/sim/devices/${device.id}`), [200], `GET /sim/devices/${device.id}`);
      const truth = reply.body as Truth;
      holds(truthInvariants(device.variant, truth));
      return truth;
    },
    async advance(isoDuration: string) {
      if (!scenario.usesClock) throw new ScenarioAbort(`scenario ${scenario.id} moves the clock but is not declared usesClock`);
      expectStatus(await sim('POST', '/sim/clock', { advance: isoDuration }), [200], `advancing the clock by ${isoDuration}`);
    },
    check(id, what, observed, expected) {
      record.checks++;
      const ok = Object.is(observed, expected) || JSON.stringify(observed) === JSON.stringify(expected);
      if (!ok) addFinding(id, what, show(expected), show(observed));
      record.evidence.markChecked();
      return ok;
    },
    checkOneOf(id, what, observed, allowed) {
      record.checks++;
      const ok = allowed.some((a) => Object.is(a, observed) || JSON.stringify(a) === JSON.stringify(observed));
      if (!ok) addFinding(id, what, `one of ${allowed.map(show).join(', ')}`, show(observed));
      record.evidence.markChecked();
      return ok;
    },
    checkThat(id, what, ok, expected, observed, detail) {
      record.checks++;
      if (!ok) addFinding(id, what, expected, observed, detail);
      record.evidence.markChecked();
      return ok;
    },
    progress(done, total) {
      onProgress?.(done, total);
    },
    skip(reason: string): never {
      throw new ScenarioSkip(reason);
    },
    ...(apple ? { apple } : {}),
  };
  return { context, record };
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function errorMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } })?.error?.message;
  return typeof message === 'string' ? ` (${message})` : '';
}

export { TargetError };
