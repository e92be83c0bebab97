/**
 * Fleet scenarios: thousands of devices across every variant, facts drawn from the run's
 * seed, one action each, sent in concurrent batches. What each device should end with is
 * written literally below, per variant and pinned facts. Checks are aggregated, so a
 * broken rule reads "37 of 2000 devices: expected done, observed pending (first: <id>)".
 */
import type { ActionName, ActionState } from '../contract/actions.js';
import type { ActionResult, EnrollSpec, Truth } from '../contract/wire.js';
import type { Device, Scenario, ScenarioContext } from './dsl.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';
import { mulberry32 } from '../contract/mulberry32.js';
import { scenario, shapeOf } from './dsl.js';
import { act, ADMIN } from './steps.js';

// ---- Determinism -------------------------------------------------------------------------

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

// ---- Expectations, written out -------------------------------------------------------

/** A ground-truth field and the value it must have, with the requirement that says so. */
type TruthField = 'lockScreen' | 'devicePasscode' | 'passcodePrompt' | 'workChallenge' | 'workProfileLocked';
type TruthFit = readonly (readonly [requirement: string, field: TruthField, value: string | boolean])[];

type Outcome =
  /** Sent to the device; it answers with `final`; the device then fits `truth`. */
  | { kind: 'accepted'; requirement: string; final: 'done' | 'failed'; truth: TruthFit; secret?: readonly [requirement: string, shape: 'present' | 'hidden'] }
  /** Not supported: 400 or notSupported, never carried out, device unchanged (`truth`). */
  | { kind: 'refused'; requirement: string; truth: TruthFit; requires400?: string };

interface Profile {
  facts: Omit<EnrollSpec, 'variant' | 'online'>;
  outcome: Outcome;
}

/** A device as enrolled: the user's own passcode set, screen unlocked. */
const fresh = (req: string): TruthFit => [[req, 'lockScreen', 'unlocked'], [req, 'devicePasscode', 'user']];
/** The same for a work-profile device, whose work challenge is set and open. */
const freshProfile = (req: string): TruthFit => [...fresh(req), [req, 'workChallenge', 'user'], [req, 'workProfileLocked', false]];
const deviceReset = (req: string): TruthFit => [[req, 'devicePasscode', 'temporary'], [req, 'lockScreen', 'locked']];
const profileReset = (req: string): TruthFit => [[req, 'workChallenge', 'temporary'], [req, 'workProfileLocked', true], ['WP-5', 'devicePasscode', 'user'], ['WP-5', 'lockScreen', 'unlocked']];

const deviceOwnerReset = (req: string, versions: readonly string[]): Profile[] =>
  versions.map((osVersion) => ({
    facts: { osVersion, devicePasscodeSet: true },
    outcome: { kind: 'accepted', requirement: req, final: 'done', truth: deviceReset(req), secret: ['TP-1', 'present'] },
  }));

const refusedOn = (req: string, facts: Profile['facts'][], truth: (req: string) => TruthFit = fresh): Profile[] =>
  facts.map((f) => ({ facts: { devicePasscodeSet: true, ...f }, outcome: { kind: 'refused', requirement: req, truth: truth(req) } }));

/** resetPasscode, per variant: the source document's tables and the platform rules behind them. */
const RESET_PROFILES: Readonly<Record<VariantKey, readonly Profile[]>> = {
  'android-da-legacy': [
    // DL-1; TP-4 says the admin is shown the new passcode, which is only a SHOULD, so it is not checked here.
    ...['4.4', '5.1', '6.0'].map((osVersion): Profile => ({
      facts: { osVersion, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'DL-1', final: 'done', truth: deviceReset('DL-1') },
    })),
  ],
  'android-da-modern': refusedOn('DL-6', [{ osVersion: '7.0' }, { osVersion: '9' }, { osVersion: '12' }, { osVersion: '14' }]),
  'ae-work-profile-personal': [
    {
      // AN-3: the token waits for the user to confirm the work challenge, so the reset fails.
      facts: { osVersion: '13', workProfilePasswordSet: true, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'AN-3', final: 'failed', truth: freshProfile('AN-3'), secret: ['AN-3', 'hidden'] },
    },
    {
      // No work-profile password: nothing to confirm, the token is active, the profile is reset (WP-1, WP-5).
      facts: { osVersion: '10', workProfilePasswordSet: false, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'WP-1', final: 'done', truth: profileReset('WP-1'), secret: ['TP-1', 'present'] },
    },
    ...refusedOn('WP-3', [{ osVersion: '7.1', workProfilePasswordSet: true }], freshProfile),
    ...refusedOn('WP-4', [{ osVersion: '6.0', workProfilePasswordSet: true }], freshProfile),
  ],
  'ae-work-profile-corporate': ['9', '14'].map((osVersion): Profile => ({
    facts: { osVersion, workProfilePasswordSet: true, devicePasscodeSet: true },
    outcome: { kind: 'accepted', requirement: 'WP-2', final: 'done', truth: profileReset('WP-2'), secret: ['TP-1', 'present'] },
  })),
  'ae-fully-managed': deviceOwnerReset('DL-2', ['8.0', '11', '14']),
  'ae-dedicated': deviceOwnerReset('DL-2', ['8.1', '12', '15']),
  'aosp-user-associated': ['10', '12', '14'].map((osVersion): Profile => ({
    facts: { osVersion, passcodePolicy: true, devicePasscodeSet: true },
    outcome: { kind: 'accepted', requirement: 'DL-9', final: 'done', truth: deviceReset('DL-9') },
  })),
  'aosp-userless': ['10', '13'].map((osVersion): Profile => ({
    facts: { osVersion, passcodePolicy: true, devicePasscodeSet: true },
    outcome: { kind: 'accepted', requirement: 'DL-10', final: 'done', truth: deviceReset('DL-10') },
  })),
  'ios-device': [
    {
      facts: { osVersion: '17.5', unlockToken: 'good', passcodeCompliancePolicy: true, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'DL-3', final: 'done', truth: [['IR-1', 'devicePasscode', 'none'], ['IR-2', 'passcodePrompt', true]], secret: ['IR-1', 'hidden'] },
    },
    {
      facts: { osVersion: '16.7', unlockToken: 'good', passcodeCompliancePolicy: false, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'DL-3', final: 'done', truth: [['IR-1', 'devicePasscode', 'none']], secret: ['IR-1', 'hidden'] },
    },
    {
      facts: { osVersion: '18.6', unlockToken: 'bad', passcodeCompliancePolicy: true, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'IR-3', final: 'failed', truth: [['IR-3', 'devicePasscode', 'user']] },
    },
    {
      facts: { osVersion: '15.8', unlockToken: 'missing', passcodeCompliancePolicy: true, devicePasscodeSet: true },
      outcome: { kind: 'accepted', requirement: 'IR-3', final: 'failed', truth: [['IR-3', 'devicePasscode', 'user']] },
    },
  ],
  'ios-user-enrollment': refusedOn('DL-4', [{ osVersion: '17.5' }, { osVersion: '18.6' }]),
  macos: refusedOn('DL-7', [{ osVersion: '14.5' }, { osVersion: '15.5' }]),
  windows: refusedOn('DL-8', [{ osVersion: '10.0.19045' }, { osVersion: '10.0.22631' }]),
};

const lockedOrScreenOff = (variantVersions: readonly string[]): Profile[] =>
  variantVersions.flatMap((osVersion): Profile[] => [
    { facts: { osVersion, devicePasscodeSet: true }, outcome: { kind: 'accepted', requirement: 'RL-3', final: 'done', truth: [['RL-3', 'lockScreen', 'locked']] } },
    {
      facts: { osVersion, devicePasscodeSet: false },
      outcome: { kind: 'accepted', requirement: 'RL-3', final: 'done', truth: [['RL-4', 'lockScreen', 'screenOff'], ['RL-4', 'devicePasscode', 'none']] },
    },
  ]);

const aospLock = (versions: readonly string[]): Profile[] =>
  versions.flatMap((osVersion): Profile[] => [
    { facts: { osVersion, passcodePolicy: true, devicePasscodeSet: true }, outcome: { kind: 'accepted', requirement: 'RL-1', final: 'done', truth: [['RL-1', 'lockScreen', 'locked']] } },
    { facts: { osVersion, passcodePolicy: false, devicePasscodeSet: true }, outcome: { kind: 'accepted', requirement: 'RL-2', final: 'failed', truth: fresh('RL-2') } },
  ]);

/** remoteLock, per variant. */
const LOCK_PROFILES: Readonly<Record<VariantKey, readonly Profile[]>> = {
  'android-da-legacy': lockedOrScreenOff(['5.1', '6.0']),
  'android-da-modern': lockedOrScreenOff(['8.0', '13']),
  'ae-work-profile-personal': lockedOrScreenOff(['9', '14']),
  'ae-work-profile-corporate': lockedOrScreenOff(['10', '15']),
  'ae-fully-managed': lockedOrScreenOff(['11']),
  'ae-dedicated': lockedOrScreenOff(['12']),
  'aosp-user-associated': aospLock(['10', '14']),
  'aosp-userless': aospLock(['11', '13']),
  'ios-device': lockedOrScreenOff(['16.7', '18.6']),
  'ios-user-enrollment': lockedOrScreenOff(['17.5']),
  macos: ['13.6', '15.5'].map((osVersion): Profile => ({
    facts: { osVersion, devicePasscodeSet: true },
    outcome: { kind: 'accepted', requirement: 'RL-3', final: 'done', truth: [['RL-3', 'lockScreen', 'locked']], secret: ['RL-5', 'present'] },
  })),
  windows: ['10.0.19045', '10.0.22631'].map((osVersion): Profile => ({
    facts: { osVersion, devicePasscodeSet: true },
    outcome: { kind: 'refused', requirement: 'RL-3', truth: fresh('RL-3'), requires400: 'RL-3' },
  })),
};

// ---- Aggregated checks ---------------------------------------------------------------

interface Group {
  requirement: string;
  what: string;
  expected: string;
  total: number;
  misses: Map<string, { count: number; devices: string[] }>;
}

/** Devices a finding names (the report counts the rest). */
const MISSED_DEVICES_NAMED = 50;

/** Collects one check per device and reports one line per rule (and per kind of miss). */
class Tally {
  private readonly groups = new Map<string, Group>();

  add(requirement: string, what: string, device: Device, ok: boolean, expected: string, observed: string): void {
    const key = `${requirement}\u0000${what}\u0000${expected}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { requirement, what, expected, total: 0, misses: new Map() }));
    group.total++;
    if (ok) return;
    const miss = group.misses.get(observed);
    if (!miss) group.misses.set(observed, { count: 1, devices: [device.id] });
    else if (++miss.count <= MISSED_DEVICES_NAMED) miss.devices.push(device.id);
  }

  equal(requirement: string, what: string, device: Device, observed: unknown, expected: unknown): void {
    this.add(requirement, what, device, observed === expected, show(expected), show(observed));
  }

  report(t: ScenarioContext): void {
    for (const g of this.groups.values()) {
      if (g.misses.size === 0) {
        t.checkThat(g.requirement, g.what, true, `${g.expected} on all ${g.total} devices`, `${g.expected} on all ${g.total} devices`);
        continue;
      }
      for (const [observed, miss] of g.misses) {
        t.checkThat(g.requirement, g.what, false, `${g.expected} on all ${g.total} devices`, `${miss.count} of ${g.total} devices: expected ${g.expected}, observed ${observed} (first: ${miss.devices[0]})`, { devices: miss.devices, devicesTotal: miss.count });
      }
    }
  }
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : typeof value === 'string' ? value : JSON.stringify(value);
}

function truthValue(truth: Truth, field: TruthField): string | boolean | undefined {
  switch (field) {
    case 'lockScreen':
      return truth.lockScreen;
    case 'devicePasscode':
      return truth.devicePasscode;
    case 'passcodePrompt':
      return truth.passcodePrompt;
    case 'workChallenge':
      return truth.workProfile?.challenge;
    case 'workProfileLocked':
      return truth.workProfile?.locked;
  }
}

const TRUTH_WORDS: Readonly<Record<TruthField, string>> = {
  lockScreen: 'device lock screen',
  devicePasscode: 'device passcode',
  passcodePrompt: 'passcode prompt',
  workChallenge: 'work-profile challenge',
  workProfileLocked: 'work profile locked',
};

// ---- Running a fleet -----------------------------------------------------------------

interface Member {
  device: Device;
  variant: VariantKey;
  online: boolean;
  profile: Profile;
  status: number;
}

const BATCH = 50;

async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>, onBatch: (done: number) => void): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    await Promise.all(items.slice(i, i + BATCH).map(fn));
    onBatch(Math.min(i + BATCH, items.length));
  }
}

interface FleetPlan {
  size: number;
  action: ActionName;
  profiles: Readonly<Record<VariantKey, readonly Profile[]>>;
  /** Share of devices enrolled offline (they must stay pending until they come back). */
  offlineShare: number;
  /** How long online devices get to reach a final state. */
  deadline: string;
  salt: number;
}

function requirementsOf(plan: FleetPlan): string[] {
  const ids = new Set<string>(['ST-2', 'ST-3']);
  for (const variant of VARIANT_KEYS) {
    for (const p of plan.profiles[variant]) {
      ids.add(p.outcome.requirement);
      for (const [req] of p.outcome.truth) ids.add(req);
      if (p.outcome.kind === 'accepted' && p.outcome.secret) ids.add(p.outcome.secret[0]);
      if (p.outcome.kind === 'refused' && p.outcome.requires400) ids.add(p.outcome.requires400);
    }
  }
  return [...ids].sort();
}

async function runFleet(t: ScenarioContext, plan: FleetPlan): Promise<void> {
  const rng = mulberry32((t.seed ^ plan.salt) >>> 0);
  const draws = Array.from({ length: plan.size }, () => {
    const variant = pick(rng, VARIANT_KEYS);
    const profile = pick(rng, plan.profiles[variant]);
    const online = rng() >= plan.offlineShare;
    const supervised = variant === 'ios-device' ? rng() < 0.5 : undefined;
    return { variant, profile, online, supervised };
  });
  // Phases: enroll, act, read, bring the offline ones back (counted as one phase).
  const total = plan.size * 4;
  let base = 0;
  const progress = (done: number) => t.progress(base + done, total);

  const members: Member[] = new Array(plan.size);
  await inBatches(
    draws.map((d, i) => ({ ...d, i })),
    async (d) => {
      const spec: EnrollSpec = { variant: d.variant, ...d.profile.facts, online: d.online, ...(d.supervised !== undefined ? { supervised: d.supervised } : {}) };
      members[d.i] = { device: await t.enroll(spec), variant: d.variant, online: d.online, profile: d.profile, status: 0 };
    },
    progress,
  );
  base += plan.size;

  await inBatches(members, async (m) => {
    m.status = await act(t, ADMIN, m.device, plan.action);
  }, progress);
  base += plan.size;

  await t.advance(plan.deadline);

  const tally = new Tally();
  const read = async (m: Member) => {
    const [result, truth] = await Promise.all([t.as(ADMIN).actionResult(m.device, plan.action), t.truth(m.device)]);
    return { result, truth };
  };

  // Online devices have had `deadline` to check in: everything should be settled.
  const offline = members.filter((m) => !m.online);
  await inBatches(members, async (m) => {
    const { result, truth } = await read(m);
    if (m.online) settled(tally, plan, m, result, truth, `within ${plan.deadline}`);
    else waiting(tally, plan, m, result, truth);
  }, progress);
  base += plan.size;

  // The offline ones come back, check in, and settle too.
  await inBatches(offline, async (m) => {
    tally.equal('ST-2', 'HTTP status of an offline device coming back online', m.device, await t.event(m.device, { type: 'goOnline' }), 200);
    const { result, truth } = await read(m);
    settled(tally, plan, m, result, truth, 'after coming back online');
  }, (done) => progress(Math.round((done / Math.max(1, offline.length)) * plan.size)));
  t.progress(total, total);

  tally.report(t);
}

/** The device has had its chance to answer: the final state and ground truth of its profile. */
function settled(tally: Tally, plan: FleetPlan, m: Member, result: ActionResult | undefined, truth: Truth, when: string): void {
  const { outcome } = m.profile;
  const on = m.variant;
  const state: ActionState | 'absent' = result?.actionState ?? 'absent';
  if (outcome.kind === 'accepted') {
    tally.equal(outcome.requirement, `HTTP status of ${plan.action} on ${on}`, m.device, m.status, 204);
    if (m.online) {
      tally.add('ST-2', `${plan.action} on ${on} reached a final state ${when}`, m.device, state !== 'pending' && state !== 'absent', 'a final state', state);
    }
    tally.equal(outcome.requirement, `final actionState of ${plan.action} on ${on}${outcome.final === 'failed' ? ` (${describeFacts(m.profile)})` : ''}`, m.device, state, outcome.final);
    if (outcome.secret) {
      const [req, shape] = outcome.secret;
      const field = plan.action === 'remoteLock' ? 'unlockPin' : 'passcode';
      const seen = shapeOf(field === 'unlockPin' ? result?.unlockPin : result?.passcode);
      const ok = shape === 'present' ? seen === 'present' : seen !== 'present';
      tally.add(req, `${field} shown to the admin on ${on}`, m.device, ok, shape === 'present' ? 'present' : 'null or absent', seen);
    }
  } else {
    const signal = m.status === 400 ? 'HTTP 400' : m.status === 204 ? `actionState ${state}` : `HTTP ${m.status}`;
    tally.add('ST-3', `how the target answered an unsupported ${plan.action} on ${on}`, m.device, signal === 'HTTP 400' || signal === 'actionState notSupported', 'HTTP 400 or actionState notSupported', signal);
    tally.add(outcome.requirement, `${plan.action} on ${on} is not carried out`, m.device, state !== 'done' && state !== 'active', 'never done', signal);
    if (outcome.requires400) tally.equal(outcome.requires400, `HTTP status of ${plan.action} on ${on}`, m.device, m.status, 400);
  }
  for (const [req, field, value] of outcome.truth) {
    tally.equal(req, `${TRUTH_WORDS[field]} after ${plan.action} on ${on} (${describeFacts(m.profile)})`, m.device, truthValue(truth, field), value);
  }
  tally.equal(outcome.requirement, `commands still waiting on ${on} ${when}`, m.device, truth.pendingCommands, 0);
}

/** An offline device: an accepted action waits pending and nothing has happened to the device yet. */
function waiting(tally: Tally, plan: FleetPlan, m: Member, result: ActionResult | undefined, truth: Truth): void {
  if (m.profile.outcome.kind !== 'accepted' || m.status !== 204) return;
  const on = m.variant;
  tally.equal('ST-2', `actionState of ${plan.action} on an offline ${on} after ${plan.deadline}`, m.device, result?.actionState ?? 'absent', 'pending');
  tally.equal('ST-2', `commands waiting on an offline ${on}`, m.device, truth.pendingCommands, 1);
  tally.equal('ST-2', `device passcode of an offline ${on} while the command waits`, m.device, truth.devicePasscode, m.profile.facts.devicePasscodeSet === false ? 'none' : 'user');
}

function describeFacts(p: Profile): string {
  return Object.entries(p.facts)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

// ---- The scenarios ---------------------------------------------------------------------

const RESET_PLAN: FleetPlan = { size: 2000, action: 'resetPasscode', profiles: RESET_PROFILES, offlineShare: 0.05, deadline: 'PT15M', salt: 0x2e5e7 };
const LOCK_PLAN: FleetPlan = { size: 1000, action: 'remoteLock', profiles: LOCK_PROFILES, offlineShare: 0.05, deadline: 'PT15M', salt: 0x10c4 };

const resetFleet = scenario({
  id: 'fleet/reset-mixed-2000',
  title: 'resetPasscode on 2000 devices of all twelve variants: each ends as its platform dictates, online ones within 15 minutes',
  area: 'fleet',
  requirements: requirementsOf(RESET_PLAN),
  tags: ['fleet', 'resetPasscode', 'clock', 'all-variants'],
  action: 'resetPasscode',
  usesClock: true,
  run: (t) => runFleet(t, RESET_PLAN),
});

const lockFleet = scenario({
  id: 'fleet/lock-mixed-1000',
  title: 'remoteLock on 1000 devices of all twelve variants (AOSP with and without a passcode policy, Windows): each ends as its platform dictates',
  area: 'fleet',
  requirements: requirementsOf(LOCK_PLAN),
  tags: ['fleet', 'remoteLock', 'clock', 'all-variants'],
  action: 'remoteLock',
  usesClock: true,
  run: (t) => runFleet(t, LOCK_PLAN),
});

export const FLEET_SCENARIOS: readonly Scenario[] = [resetFleet, lockFleet];
