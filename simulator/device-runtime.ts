import { createActor, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { DeviceFacts } from './device-facts.js';
import type { CommandAnswer, DeviceEmitted, DeviceMachineEvent, EventRejection } from './device-events.js';
import { contextFromFacts, deviceMachine, FAMILIES } from './device-machine.js';
import type { VariantKey } from './variants.js';

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
  step(snapshot: AnyMachineSnapshot, event: DeviceMachineEvent): { snapshot: AnyMachineSnapshot; emitted: DeviceEmitted[] };
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
    if (listener && ev.type === '@xstate.microstep' && ev._transitions) {
      for (const t of ev._transitions) listener(variant, transitionId(t));
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
    step(snapshot, event) {
      emitted.length = 0;
      const next = machine.transition(snapshot, event, scope as never) as AnyMachineSnapshot;
      return { snapshot: next, emitted: emitted.slice() };
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

const enrolledSnapshots = new Map<string, AnyMachineSnapshot>();

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
  let snapshot = enrolledSnapshots.get(key);
  if (!snapshot) {
    const stepper = stepperFor(facts.variant);
    const self = createActor(stepper.machine, { input: context });
    snapshot = stepper.step(self.getSnapshot() as AnyMachineSnapshot, { type: 'ENROLLMENT_COMPLETE' }).snapshot;
    enrolledSnapshots.set(key, snapshot);
  }
  return snapshot;
}

/** Sends one event to a device's snapshot; pure: returns the next snapshot and what the device emitted. */
export function stepDevice(variant: VariantKey, snapshot: AnyMachineSnapshot, event: DeviceMachineEvent) {
  return stepperFor(variant).step(snapshot, event);
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
