/** A device model driven one snapshot at a time, and the events the device-machine tests send it. */
import { expect } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import type { DeviceEmitted, DeviceMachineEvent } from '../device-events.js';
import { defaultFacts, type DeviceFacts } from '../device-facts.js';
import { answerOf, enrolledSnapshot, groundTruth, rejectionOf, stepDevice, type GroundTruth } from '../device-runtime.js';
import type { VariantKey } from '../../contract/variants.js';

/** The temporary passcode an admin sends; the device must be unlocked with exactly this. */
export const TEMP = '24681357';
/** A passcode the user sets themselves (the "old" passcode once a reset replaces it). */
export const OLD = '11112222';
export const WRONG = '99990000';
export const MALFORMED = 'ab';
export const KEYCHAIN = 'unlock-token-from-token-update';

/** A simulated device driven through stepDevice, one snapshot at a time. */
export class Device {
  snapshot: AnyMachineSnapshot;
  last: DeviceEmitted[] = [];
  constructor(readonly variant: VariantKey, overrides: Partial<DeviceFacts> = {}) {
    this.snapshot = enrolledSnapshot({ ...defaultFacts(variant), ...overrides, variant });
  }
  send(event: DeviceMachineEvent): DeviceEmitted[] {
    const { snapshot, emitted } = stepDevice(this.variant, this.snapshot, event);
    this.snapshot = snapshot;
    this.last = emitted;
    return emitted;
  }
  /** Sends a command and returns the device's answer. */
  command(event: DeviceMachineEvent) {
    return answerOf(this.send(event));
  }
  /** Sends a user event and returns its rejection, or null when the device took it. */
  user(event: DeviceMachineEvent) {
    return rejectionOf(this.send(event));
  }
  get truth(): GroundTruth {
    return groundTruth(this.variant, this.snapshot, true);
  }
}

export const reset = (passcode = TEMP) => ({ type: 'RESET_PASSCODE', passcode }) as const;
export const clear = (unlockToken: string | null) => ({ type: 'CLEAR_PASSCODE', unlockToken, keychainUnlockToken: KEYCHAIN }) as const;
export const enter = (passcode?: string) => (passcode === undefined ? ({ type: 'ENTER_PASSCODE' }) as const : ({ type: 'ENTER_PASSCODE', passcode }) as const);
export const enterWork = (passcode?: string) =>
  passcode === undefined ? ({ type: 'ENTER_WORK_CHALLENGE' }) as const : ({ type: 'ENTER_WORK_CHALLENGE', passcode }) as const;
export const OK = { ok: true } as const;
export const refused = (reason: string) => ({ ok: false, reason });

/** A personally-owned work profile on 8+ whose reset token the user has activated. */
export function activatedWorkProfile(osVersion = '13') {
  const d = new Device('ae-work-profile-personal', { osVersion, workProfilePasswordSet: true });
  expect(d.user(enterWork())).toBeNull();
  expect(d.truth.workProfile?.resetToken).toBe('active');
  return d;
}
