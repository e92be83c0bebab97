/**
 * The sweep: enumerated short sequences, one per variant, OS version at and around each
 * support boundary (in every spelling Graph reports: "8", "8.0", "8.0.0", "7.1.2"), and each
 * device fact turned off its default. Random runs rarely line up a multi-step sequence
 * (reset, then check in, then type what the admin saw, lock, reboot, cross the seven days
 * from the request); the sweep walks each one on purpose, judged by the same model. A
 * mismatch is shrunk by dropping every step that plays no part.
 */
import type { EnrollSpec } from '../../contract/wire.js';
import { VARIANT_KEYS as VARIANTS, type VariantKey } from '../../contract/variants.js';
import type { Actor } from './catalogue.js';
import { ConformanceMismatch, FleetModel } from './model.js';
import { canRun, describeStep, resolveStep, runStep, type FuzzIO, type Step } from './steps.js';

/** OS versions at and around the boundaries that decide something (DL-1/DL-6 at 7, WP-1/WP-3 at 8, TP-1 at 8). */
export const SWEEP_OS_VERSIONS: Partial<Record<VariantKey, readonly string[]>> = {
  'android-da-legacy': ['6.0.1', '6.0', '4.4.4'],
  'android-da-modern': ['7.0', '7.1.2', '8.1.0', '14'],
  'ae-work-profile-personal': ['7.1.2', '7.0', '8', '8.0.0', '8.1', '9', '15'],
  'ae-work-profile-corporate': ['8.0.0', '10', '15'],
  'ae-fully-managed': ['8.0', '8.1.0', '9', '14'],
  'ae-dedicated': ['8.0.0', '8.1', '14'],
  'ios-device': ['16.7.2', '17.5'],
  macos: ['14.5'],
};

/** Each fact a variant cares about, turned away from the typical device. */
function factVariations(variant: VariantKey): EnrollSpec[] {
  const out: EnrollSpec[] = [{ variant, online: false }, { variant, devicePasscodeSet: false }];
  if (variant.startsWith('aosp-') || variant === 'ae-dedicated') out.push({ variant, passcodePolicy: false });
  if (variant.startsWith('ae-work-profile')) out.push({ variant, workProfilePasswordSet: false });
  if (variant === 'ios-device') {
    out.push({ variant, unlockToken: 'bad' }, { variant, unlockToken: 'missing' }, { variant, supervised: false, unlockToken: 'good' });
    out.push({ variant, passcodeCompliancePolicy: true, unlockToken: 'good' }, { variant, passcodeCompliancePolicy: false, unlockToken: 'good' });
  }
  return out;
}

/** Breadth first (every variant's typical device, then versions, then facts), so a short time budget still sees every variant. */
export function sweepSpecs(): EnrollSpec[] {
  return [
    ...VARIANTS.map((variant): EnrollSpec => typical({ variant })),
    ...VARIANTS.flatMap(factVariations).map(typical),
    ...VARIANTS.flatMap((variant) => (SWEEP_OS_VERSIONS[variant] ?? []).map((osVersion): EnrollSpec => typical({ variant, osVersion }))),
  ];
}

/** The facts of a typical device spelled out, so the model predicts what they decide (AN-1, IR-2). */
function typical(spec: EnrollSpec): EnrollSpec {
  if (spec.variant === 'ae-work-profile-personal') return { workProfilePasswordSet: true, ...spec };
  if (spec.variant === 'ios-device') return { unlockToken: 'good', passcodeCompliancePolicy: true, ...spec };
  return spec;
}

const ADMIN: Actor = 'intune-administrator';

/** One device through its life: reset, lock, roles that may not act, the seven days from the request, a wipe. */
export function sweepSequence(spec: EnrollSpec): Step[] {
  const act = (action: 'resetPasscode' | 'remoteLock' | 'wipe', role: Actor = ADMIN): Step => ({ op: 'act', device: 0, action, role });
  const event = (e: Extract<Step, { op: 'event' }>['event']): Step => ({ op: 'event', device: 0, event: e });
  const workProfile = spec.variant.startsWith('ae-work-profile');
  const steps: Step[] = [{ op: 'enroll', spec }];
  // No passcode yet: a lock only turns the screen off (RL-4); later resets give the device one.
  if (spec.devicePasscodeSet === false) steps.push(act('remoteLock'), event({ type: 'checkIn' }));
  // A reboot before activation loses the reset token; the next check-in brings it back (AN-4).
  if (spec.variant === 'ae-work-profile-personal') steps.push(event({ type: 'reboot' }), event({ type: 'checkIn' }));
  if (workProfile) steps.push(event({ type: 'enterPasscode', scope: 'workProfile', passcode: 'own' }), event({ type: 'checkIn' }));
  steps.push(act('resetPasscode', 'read-only-operator'), act('resetPasscode', null), act('resetPasscode', 'global-administrator'));
  // Offline for three days: the seven days still count from the request (TP-3).
  if (spec.online === false) steps.push({ op: 'advance', duration: 'P3D' }, event({ type: 'goOnline' }));
  steps.push(event({ type: 'checkIn' }), { op: 'audits', device: 0 }, event({ type: 'checkIn' }));
  steps.push(event({ type: 'enterPasscode', scope: workProfile ? 'workProfile' : 'device', passcode: 'learned' }));
  steps.push({ op: 'advance', duration: 'P3DT23H' }, { op: 'advance', duration: 'PT2H' });
  steps.push(act('resetPasscode', 'role-administrator'), event({ type: 'checkIn' }), event({ type: 'reboot' }), event({ type: 'checkIn' }));
  steps.push(act('remoteLock', 'endpoint-security-manager'), event({ type: 'checkIn' }), act('remoteLock', 'helpdesk-operator'), event({ type: 'checkIn' }));
  // A work-profile reset while the device is locked: the work profile changes, the lock screen does not (WP-5).
  if (workProfile) steps.push(act('resetPasscode', 'helpdesk-operator'), event({ type: 'checkIn' }));
  steps.push(event({ type: 'enterPasscode', scope: 'device', passcode: 'learned' }), { op: 'audits', device: 0 });
  steps.push(act('resetPasscode', 'school-administrator'), event({ type: 'checkIn' }), { op: 'advance', duration: 'P7DT1H' });
  // Lists as admin tools read them: one entry a page, and without a token (ST-1, RB-3, TP-5).
  steps.push({ op: 'list', list: 'remoteActionAudits', role: 'read-only-operator', top: 1 }, { op: 'list', list: 'managedDevices', role: null, top: 1 });
  steps.push(act('wipe', 'school-administrator'), act('wipe', 'global-administrator'), event({ type: 'checkIn' }), { op: 'audits', device: 0 });
  return steps;
}

export interface SweepFailure {
  steps: Step[];
  error: ConformanceMismatch | Error;
}

/** Runs one sequence on a fresh fleet; the steps it ran and the first mismatch, if any. */
export async function runSequence(io: FuzzIO & { reset(): Promise<void> }, sequence: readonly Step[]): Promise<{ executed: Step[]; error: unknown }> {
  await io.reset();
  const model = new FleetModel(4);
  const executed: Step[] = [];
  try {
    for (const raw of sequence) {
      const step = resolveStep(model, raw);
      if (!canRun(model, step)) continue;
      executed.push(step);
      const failed = (await runStep(model, io, step)).find((c) => !c.ok);
      if (failed) throw new ConformanceMismatch(failed, describeStep(step));
    }
    return { executed, error: null };
  } catch (error) {
    return { executed, error };
  }
}

function sameBreak(a: unknown, b: unknown): boolean {
  if (a instanceof ConformanceMismatch && b instanceof ConformanceMismatch) return a.requirement === b.requirement && a.what === b.what;
  return !(a instanceof ConformanceMismatch) && !(b instanceof ConformanceMismatch) && a !== null && b !== null;
}

/** Drops steps (last first) while the same check still fails. */
export async function shrinkSequence(io: FuzzIO & { reset(): Promise<void> }, found: { executed: Step[]; error: unknown }): Promise<{ executed: Step[]; error: unknown }> {
  let best = found;
  for (let i = best.executed.length - 2; i >= 0; i--) {
    if (best.executed[i]!.op === 'enroll' && i === 0) continue;
    const candidate = [...best.executed.slice(0, i), ...best.executed.slice(i + 1)];
    const tried = await runSequence(io, candidate);
    if (sameBreak(tried.error, best.error)) best = tried;
  }
  return best;
}

export interface SweepResult {
  sequences: number;
  steps: number;
  failure: SweepFailure | null;
}

/** Walks every sweep sequence until one breaks a rule; shrinks that one. */
export async function runSweep(io: FuzzIO & { reset(): Promise<void> }, deadline = Infinity): Promise<SweepResult> {
  let sequences = 0;
  let steps = 0;
  for (const spec of sweepSpecs()) {
    if (performance.now() > deadline) break;
    const ran = await runSequence(io, sweepSequence(spec));
    sequences++;
    steps += ran.executed.length;
    if (ran.error !== null) {
      const shrunk = await shrinkSequence(io, ran);
      const error = shrunk.error instanceof Error ? shrunk.error : new Error(String(shrunk.error));
      return { sequences, steps, failure: { steps: shrunk.executed, error: error as ConformanceMismatch | Error } };
    }
  }
  return { sequences, steps, failure: null };
}
