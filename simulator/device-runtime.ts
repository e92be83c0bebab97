import { createActor, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { DeviceFacts } from './device-facts.js';
import type { CommandAnswer, DeviceEmitted, DeviceMachineEvent, EventRejection } from './device-events.js';
import { contextFromFacts, deviceMachine, FAMILIES } from './device-machine.js';
import type { VariantKey } from '../contract/variants.js';

/** Called with each machine transition taken (source state node id, event type, index among that event's transitions). */
export type TransitionListener = (variant: VariantKey, transitionId: string) => void;

interface TransitionLike {
  source: { id: string; transitions: Map<string, TransitionLike[]>; always?: TransitionLike[] };
  eventType: string;
}

/** A stable name for a machine transition: "stateNodeId|event|#index". */
export function transitionId(t: TransitionLike): string {
  const list = t.eventType === '' ? t.source.always ?? [] : t.source.transitions.get(t.eventType) ?? [];
  return `${t.source.id}|${t.eventType || 'always'}|#${list.indexOf(t)}`;
}

interface Stepper {
  machine: AnyStateMachine;
  /** The next snapshot; what the device emitted is left in `emitted` until the next step. */
  step(snapshot: AnyMachineSnapshot, event: DeviceMachineEvent): AnyMachineSnapshot;
  emitted: DeviceEmitted[];
}

let listener: TransitionListener | null = null;

/** Record machine transitions taken anywhere in this process (model coverage); null stops it. */
export function onTransitions(next: TransitionListener | null): void {
  listener = next;
}

/**
 * Runs a machine without an actor per device: one inert actor scope per variant is
 * reused for every device, so a device at rest is only its immutable snapshot.
 */
function createStepper(variant: VariantKey): Stepper {
  const machine = deviceMachine(variant);
  const self = createActor(machine);
  const emitted: DeviceEmitted[] = [];
  const system = Object.create(self.system) as typeof self.system & { _sendInspectionEvent: (e: unknown) => void };
  system._sendInspectionEvent = (inspection: unknown) => {
    const ev = inspection as { type: string; _transitions?: TransitionLike[] };
    if ((listener || collecting) && ev.type === '@xstate.microstep' && ev._transitions) {
      for (const t of ev._transitions) {
        const id = transitionId(t);
        collecting?.push(id);
        listener?.(variant, id);
      }
    }
  };
  const scope = {
    self,
    system,
    id: '',
    sessionId: '',
    defer: () => {},
    logger: () => {},
    stopChild: () => {},
    emit: () => {},
    actionExecutor: (action: { type: string; params?: { event?: DeviceEmitted } }) => {
      if (action.type === 'xstate.emit' && action.params?.event) emitted.push(action.params.event);
    },
  };
  return {
    machine,
    emitted,
    step(snapshot, event) {
      emitted.length = 0;
      return machine.transition(snapshot, event, scope as never) as AnyMachineSnapshot;
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

/** Transitions an enrollment took, kept so that a cached enrollment still counts for coverage. */
let collecting: string[] | null = null;

const enrolledSnapshots = new Map<string, { snapshot: AnyMachineSnapshot; transitions: readonly string[] }>();

function factsKey(facts: DeviceFacts, osMajor: number): string {
  return [facts.variant, osMajor, +facts.passcodePolicy, +facts.workProfilePasswordSet, +facts.passcodeCompliancePolicy, +facts.online, +facts.devicePasscodeSet].join('|');
}

/**
 * The snapshot of a device that has just completed enrollment. Devices with the same
 * behavioural facts share one immutable snapshot until their first event.
 */
export function enrolledSnapshot(facts: DeviceFacts): AnyMachineSnapshot {
  const context = contextFromFacts(facts);
  const key = factsKey(facts, context.osMajor);
  const cached = enrolledSnapshots.get(key);
  if (cached) {
    if (listener) for (const id of cached.transitions) listener(facts.variant, id);
    return cached.snapshot;
  }
  const stepper = stepperFor(facts.variant);
  const self = createActor(stepper.machine, { input: context });
  const transitions: string[] = [];
  collecting = transitions;
  try {
    const snapshot = stepper.step(self.getSnapshot() as AnyMachineSnapshot, { type: 'ENROLLMENT_COMPLETE' });
    enrolledSnapshots.set(key, { snapshot, transitions });
    shared.set(snapshot, new Map());
    return snapshot;
  } finally {
    collecting = null;
  }
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
  const memo = listener === null && PLAIN_EVENTS.has(event.type) ? shared.get(snapshot) : undefined;
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
