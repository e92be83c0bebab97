/**
 * The in-process fleet-wide reset: resetPasscode on every device, delivery at the next
 * push check-in (the clock moves on PT15M), the user enters the temporary passcode on every
 * device whose reset is done, then every device is checked against what the support table
 * and its facts say should have happened.
 */
import type { DeviceFacts } from '../simulator/device-facts.js';
import type { DeviceErrorReason } from '../simulator/device-events.js';
import type { ActionState } from '../contract/actions.js';
import type { ReferenceMdm } from '../simulator/mdm/reference-mdm.js';
import { resetKind } from '../simulator/support-matrix.js';

export interface ExpectedReset {
  state: Extract<ActionState, 'done' | 'failed' | 'notSupported' | 'pending'>;
  reason: DeviceErrorReason | null;
  /** Where the temporary passcode is entered afterwards, or null when there is none to enter. */
  enterScope: 'device' | 'workProfile' | null;
}

/** What resetPasscode must do to a freshly enrolled device with these facts. */
export function expectedReset(facts: DeviceFacts): ExpectedReset {
  const kind = resetKind(facts.variant, facts.osVersion);
  if (kind === null) return { state: 'notSupported', reason: null, enterScope: null };
  if (!facts.online) return { state: 'pending', reason: null, enterScope: null };
  switch (kind) {
    case 'device':
      return { state: 'done', reason: null, enterScope: 'device' };
    case 'workProfile':
      // AN-1: a personal profile's token waits for the user to confirm the work challenge.
      if (facts.variant === 'ae-work-profile-personal' && facts.workProfilePasswordSet) {
        return { state: 'failed', reason: 'RESET_TOKEN_NOT_ACTIVE', enterScope: null };
      }
      return { state: 'done', reason: null, enterScope: 'workProfile' };
    case 'removal':
      if (facts.unlockToken === 'missing') return { state: 'failed', reason: 'UNLOCK_TOKEN_MISSING', enterScope: null };
      if (facts.unlockToken === 'bad') return { state: 'failed', reason: 'BAD_UNLOCK_TOKEN', enterScope: null };
      return { state: 'done', reason: null, enterScope: null };
  }
}

export interface FleetResetResult {
  devices: number;
  /** Devices whose reset ended done (and were unlocked with the temporary passcode where there is one). */
  done: number;
  failed: number;
  notSupported: number;
  pending: number;
  /** Machine events the devices took: CHECK_IN, the command, ENTER_PASSCODE / ENTER_WORK_CHALLENGE. */
  events: number;
  elapsedMs: number;
  /** Devices that did not end as expected (empty when all is well); at most 20 are described. */
  mismatches: string[];
  mismatchCount: number;
}

/** Runs the reset over every enrolled device of `mdm` (its clock must be manual). */
export function runFleetReset(mdm: ReferenceMdm, initiatedBy = 'bench@lockstep'): FleetResetResult {
  const records = mdm.all();
  const n = records.length;
  const started = performance.now();
  for (let i = 0; i < n; i++) mdm.requestAction(records[i]!.profile.id, 'resetPasscode', initiatedBy);
  mdm.clock.advanceBy('PT15M');
  for (let i = 0; i < n; i++) {
    const record = records[i]!;
    const action = record.actions?.[0];
    if (!action || action.actionState !== 'done' || action.passcode === null) continue;
    const scope = record.profile.facts.variant.startsWith('ae-work-profile') ? 'workProfile' : 'device';
    mdm.deviceEvent(record.profile.id, { type: 'enterPasscode', passcode: action.passcode, scope });
  }
  const elapsedMs = performance.now() - started;

  const result: FleetResetResult = { devices: n, done: 0, failed: 0, notSupported: 0, pending: 0, events: 0, elapsedMs, mismatches: [], mismatchCount: 0 };
  for (let i = 0; i < n; i++) {
    const record = records[i]!;
    const expected = expectedReset(record.profile.facts);
    const action = record.actions?.find((a) => a.actionName === 'resetPasscode');
    const truth = mdm.truthOf(record);
    const problems: string[] = [];
    if (!action) problems.push('no action recorded');
    else {
      if (action.actionState !== expected.state) problems.push(`state ${action.actionState}, expected ${expected.state}`);
      if (action.errorReason !== expected.reason) problems.push(`reason ${action.errorReason}, expected ${expected.reason}`);
    }
    if (expected.state === 'done' || expected.state === 'failed') result.events += 2; // CHECK_IN + RESET_PASSCODE / CLEAR_PASSCODE
    if (expected.state === 'done') {
      if (expected.enterScope !== null) result.events++;
      if (expected.enterScope === 'device') {
        if (truth.devicePasscode !== 'temporary' || truth.lockScreen !== 'unlocked') problems.push(`device ${truth.devicePasscode}/${truth.lockScreen}, expected temporary/unlocked`);
      } else if (expected.enterScope === 'workProfile') {
        if (truth.workProfile?.challenge !== 'temporary' || truth.workProfile.locked) problems.push(`work profile ${JSON.stringify(truth.workProfile)}, expected temporary and unlocked`);
      } else if (truth.devicePasscode !== 'none' || truth.lockScreen !== 'unlocked') {
        problems.push(`passcode removal left ${truth.devicePasscode}/${truth.lockScreen}`);
      }
    }
    if (expected.state === 'pending' && truth.pendingCommands !== 1) problems.push(`${truth.pendingCommands} pending commands, expected 1`);
    result[expected.state]++;
    if (problems.length > 0) {
      result.mismatchCount++;
      if (result.mismatches.length < 20) result.mismatches.push(`${record.profile.id} (${record.profile.facts.variant} ${record.profile.facts.osVersion}): ${problems.join('; ')}`);
    }
  }
  return result;
}
