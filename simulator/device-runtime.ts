import { createActor, getMicrosteps, initialTransition, type AnyActorScope, type AnyEventObject, type AnyMachineSnapshot, type AnyStateMachine, type ExecutableActionObject } from 'xstate';
import type { DeviceFacts } from './device-facts.js';
import type { CommandAnswer, DeviceEmitted, DeviceMachineEvent, EventRejection } from './device-events.js';
import { contextFromFacts, deviceMachine, FAMILIES } from './device-machine.js';
import { transitionId } from './transition-id.js';
import type { VariantKey } from '../contract/variants.js';

export { transitionId } from './transition-id.js';

/** Called with each machine transition taken (its transitionId(): source state, event, guard, target). */
export type TransitionListener = (variant: VariantKey, transitionId: string) => void;

let listener: TransitionListener | null = null;

/** Record machine transitions taken anywhere in this process (model coverage); null stops it. */
export function onTransitions(next: TransitionListener | null): void {
  listener = next;
}

interface Stepper {
  machine: AnyStateMachine;
  /** The next snapshot; what the device emitted is left in `emitted` until the next step. */
  step(snapshot: AnyMachineSnapshot, event: DeviceMachineEvent): AnyMachineSnapshot;
  /** The same step, also naming every transition taken (model coverage; slower). */
  stepRecording(snapshot: AnyMachineSnapshot, event: DeviceMachineEvent, record: (id: string) => void): AnyMachineSnapshot;
  emitted: DeviceEmitted[];
}

function emittedBy(action: ExecutableActionObject): DeviceEmitted | undefined {
  return action.type === 'xstate.emit' ? (action.params as { event?: DeviceEmitted } | undefined)?.event : undefined;
}

/**
 * Steps a variant's machine without an actor per device, so a device at rest is only its
 * immutable snapshot. The hot path calls the machine's ActorLogic `transition` with one
 * actor scope per variant, reused for every step: xstate's `transition()` helper builds a
 * fresh actor (system, mailbox, initial snapshot) on every call, which made a step about 4x
 * slower in bench (mostly garbage collection). Coverage runs use `getMicrosteps()`.
 */
function createStepper(variant: VariantKey): Stepper {
  const machine = deviceMachine(variant);
  const emitted: DeviceEmitted[] = [];
  const self = createActor(machine);
  const scope: AnyActorScope = {
    self,
    system: self.system,
    id: '',
    sessionId: '',
    defer: () => {},
    logger: () => {},
    stopChild: () => {},
    emit: () => {},
    actionExecutor: (action) => {
      const event = emittedBy(action);
      if (event) emitted.push(event);
    },
  };
  return {
    machine,
    emitted,
    step(snapshot, event) {
      emitted.length = 0;
      return machine.transition(snapshot, event, scope) as AnyMachineSnapshot;
    },
    stepRecording(snapshot, event, record) {
      emitted.length = 0;
      // Each microstep takes the external event first, then the raised events in the order raised.
      const raised: AnyEventObject[] = [];
      let before = snapshot;
      let taking: AnyEventObject = event;
      getMicrosteps(machine, snapshot, event).forEach(([after, actions], index) => {
        if (index > 0) {
          const next = raised.shift();
          if (!next) throw new Error(`${variant}: a microstep without a raised event (device machines have no eventless transitions)`);
          taking = next;
        }
        for (const t of machine.getTransitionData(before, taking)) record(transitionId(t));
        for (const action of actions as ExecutableActionObject[]) {
          const params = action.params as { event?: AnyEventObject; delay?: number } | undefined;
          if (action.type === 'xstate.raise' && params?.event && params.delay === undefined) raised.push(params.event);
          const out = emittedBy(action);
          if (out) emitted.push(out);
        }
        before = after as AnyMachineSnapshot;
      });
      return before;
    },
  };
}

const steppers = new Map<VariantKey, Stepper>();
function stepperFor(variant: VariantKey): Stepper {
  let stepper = steppers.get(variant);
  if (!stepper) {
    stepper = createStepper(variant);
    steppers.set(variant, stepper);
  }
  return stepper;
}

interface EnrolledEntry {
  snapshot: AnyMachineSnapshot;
  transitions: readonly string[];
}
const enrolledSnapshots = new Map<string, EnrolledEntry>();
const byFrozenFacts = new WeakMap<DeviceFacts, EnrolledEntry>();

function factsKey(facts: DeviceFacts, osMajor: number): string {
  return [facts.variant, osMajor, +facts.passcodePolicy, +facts.workProfilePasswordSet, +facts.passcodeCompliancePolicy, +facts.online, +facts.devicePasscodeSet].join('|');
}

/** The snapshot of a device that has not completed enrollment yet. */
export function unenrolledSnapshot(facts: DeviceFacts): AnyMachineSnapshot {
  return initialTransition(deviceMachine(facts.variant), contextFromFacts(facts))[0] as AnyMachineSnapshot;
}

/**
 * The snapshot of a device that has just completed enrollment. Devices with the same
 * behavioural facts share one immutable snapshot until their first event; the transitions
 * its enrollment took are kept, so a cached enrollment still counts for coverage.
 */
export function enrolledSnapshot(facts: DeviceFacts): AnyMachineSnapshot {
  // Generated fleets share frozen facts objects: look those up by identity (no key to build).
  const frozen = Object.isFrozen(facts);
  let cached = frozen ? byFrozenFacts.get(facts) : undefined;
  let key: string | undefined;
  if (!cached) {
    key = factsKey(facts, contextFromFacts(facts).osMajor);
    cached = enrolledSnapshots.get(key);
    if (cached && frozen) byFrozenFacts.set(facts, cached);
  }
  if (cached) {
    if (listener) for (const id of cached.transitions) listener(facts.variant, id);
    return cached.snapshot;
  }
  const transitions: string[] = [];
  const snapshot = stepperFor(facts.variant).stepRecording(unenrolledSnapshot(facts), { type: 'ENROLLMENT_COMPLETE' }, (id) => transitions.push(id));
  const entry = { snapshot, transitions };
  enrolledSnapshots.set(key!, entry);
  if (frozen) byFrozenFacts.set(facts, entry);
  shared.set(snapshot, new Map());
  if (listener) for (const id of transitions) listener(facts.variant, id);
  return snapshot;
}

/** Events that carry nothing but their type: their outcome depends on the snapshot alone. */
const PLAIN_EVENTS: ReadonlySet<string> = new Set(['CHECK_IN', 'REBOOT', 'WAKE', 'GO_OFFLINE', 'GO_ONLINE', 'WIPE']);

interface Step {
  snapshot: AnyMachineSnapshot;
  emitted: readonly DeviceEmitted[];
}

/**
 * The enrolled snapshots (shared by every device with equal facts until its first event),
 * each with the outcome of the plain events already sent to one of them. Stepping is pure,
 * so a fleet-wide check-in computes each distinct outcome once. Bounded: one entry per
 * enrolled snapshot and plain event type.
 */
const shared = new Map<AnyMachineSnapshot, Map<string, Step>>();

/** The next snapshot of a device; `emitted` holds what it emitted until the next call. Internal fast path. */
function step(variant: VariantKey, snapshot: AnyMachineSnapshot, event: DeviceMachineEvent): Step {
  const stepper = stepperFor(variant);
  const record = listener;
  if (record) {
    scratch.snapshot = stepper.stepRecording(snapshot, event, (id) => record(variant, id));
    scratch.emitted = stepper.emitted;
    return scratch;
  }
  const memo = PLAIN_EVENTS.has(event.type) ? shared.get(snapshot) : undefined;
  if (memo) {
    let known = memo.get(event.type);
    if (!known) {
      const next = stepper.step(snapshot, event);
      known = { snapshot: next, emitted: stepper.emitted.slice() };
      memo.set(event.type, known);
    }
    return known;
  }
  const next = stepper.step(snapshot, event);
  scratch.snapshot = next;
  scratch.emitted = stepper.emitted;
  return scratch;
}

const scratch: Step = { snapshot: null as unknown as AnyMachineSnapshot, emitted: [] };

/**
 * Sends one event to a device's snapshot and returns the next snapshot; what the device
 * emitted is only valid until the next step (callers read it at once). Pure.
 */
export function advanceDevice(variant: VariantKey, snapshot: AnyMachineSnapshot, event: DeviceMachineEvent): Step {
  return step(variant, snapshot, event);
}

/** Sends one event to a device's snapshot; pure: returns the next snapshot and what the device emitted. */
export function stepDevice(variant: VariantKey, snapshot: AnyMachineSnapshot, event: DeviceMachineEvent): { snapshot: AnyMachineSnapshot; emitted: DeviceEmitted[] } {
  const next = step(variant, snapshot, event);
  return { snapshot: next.snapshot, emitted: next.emitted.slice() };
}

/** The device's answer to a command it was just sent. */
export function answerOf(emitted: readonly DeviceEmitted[]): CommandAnswer {
  for (const e of emitted) {
    if (e.type === 'answer') return e.ok ? { ok: true } : { ok: false, reason: e.reason };
  }
  // A wiped device (final state) takes no commands; the MDM never sends to one.
  return { ok: false, reason: 'UNSUPPORTED' };
}

export function rejectionOf(emitted: readonly DeviceEmitted[]): EventRejection | null {
  for (const e of emitted) if (e.type === 'rejected') return e.reason;
  return null;
}

export type LockScreen = 'locked' | 'unlocked' | 'screenOff';
export type PasscodeKind = 'none' | 'user' | 'temporary';

export interface WorkProfileTruth {
  challenge: PasscodeKind;
  locked: boolean;
  resetToken: 'none' | 'pending' | 'active';
  activationNotification: boolean;
}

/** The device's ground truth as the simulation API shows it (never a secret). */
export interface GroundTruth {
  variant: VariantKey;
  online: boolean;
  enrolled: boolean;
  lockScreen: LockScreen;
  devicePasscode: PasscodeKind;
  workProfile?: WorkProfileTruth;
  passcodePrompt: boolean;
  lockPinOutstanding?: boolean;
}

type EnrolledValue = {
  connectivity: 'online' | 'offline';
  lockScreen: LockScreen;
  devicePasscode: PasscodeKind;
  workProfile?: { challenge: PasscodeKind; profileLock: 'locked' | 'unlocked'; resetToken: WorkProfileTruth['resetToken']; activationNotification: 'shown' | 'hidden' };
  passcodePrompt?: 'shown' | 'hidden';
  remoteLockPin?: 'none' | 'outstanding';
};

export function isWiped(snapshot: AnyMachineSnapshot): boolean {
  return snapshot.value === 'wiped';
}

export function groundTruth(variant: VariantKey, snapshot: AnyMachineSnapshot, online: boolean): GroundTruth {
  const value = snapshot.value as { enrolled?: EnrolledValue } | string;
  if (typeof value === 'string' || !value.enrolled) {
    return { variant, online, enrolled: false, lockScreen: 'unlocked', devicePasscode: 'none', passcodePrompt: false };
  }
  const v = value.enrolled;
  const truth: GroundTruth = {
    variant,
    online: v.connectivity === 'online',
    enrolled: true,
    lockScreen: v.lockScreen,
    devicePasscode: v.devicePasscode,
    passcodePrompt: v.passcodePrompt === 'shown',
  };
  if (v.workProfile) {
    truth.workProfile = {
      challenge: v.workProfile.challenge,
      locked: v.workProfile.profileLock === 'locked',
      resetToken: v.workProfile.resetToken,
      activationNotification: v.workProfile.activationNotification === 'shown',
    };
  }
  if (FAMILIES[variant].remoteLockPin) truth.lockPinOutstanding = v.remoteLockPin === 'outstanding';
  return truth;
}
