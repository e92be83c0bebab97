/**
 * The device machines seen as graphs: every transition a variant's machine defines,
 * every leaf state it has, and which of those states events can actually reach.
 * Used by the model tests (no dead states) and by reports (transition coverage).
 */
import type { AnyMachineSnapshot, AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { DeviceMachineEvent } from './device-events.js';
import { defaultFacts, type DeviceFacts } from './device-facts.js';
import { deviceMachine, type DeviceContext } from './device-machine.js';
import { unenrolledSnapshot } from './device-runtime.js';
import { transitionId } from './transition-id.js';
import type { VariantKey } from '../contract/variants.js';

/** The passcode every reset in the traversal sends, so that entering it matches the temporary passcode. */
export const GRAPH_TEMPORARY_PASSCODE = '24681357';
/** The passcode the user sets in the traversal (their "own" one). */
export const GRAPH_USER_PASSCODE = '11112222';
const WRONG_PASSCODE = '99990000';
const MALFORMED_PASSCODE = 'ab';
/** The macOS lock PIN every lock in the traversal uses. */
export const GRAPH_LOCK_PIN = '123456';
const KEYCHAIN_TOKEN = 'graph-unlock-token';

function walk(node: AnyStateNode, visit: (node: AnyStateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states) as AnyStateNode[]) walk(child, visit);
}

/** Every transition definition of a machine (internal raised events included), in document order. */
export function transitionDefinitions(machine: AnyStateMachine): AnyTransitionDefinition[] {
  const list: AnyTransitionDefinition[] = [];
  walk(machine.root, (node) => {
    for (const defs of node.transitions.values()) list.push(...defs);
    list.push(...(node.always ?? []));
  });
  return list;
}

/** Every transition of the variant's machine, as transitionId()s. */
export function enumerateTransitions(variant: VariantKey): string[] {
  return transitionDefinitions(deviceMachine(variant)).map(transitionId);
}

function leafNodes(machine: AnyStateMachine): AnyStateNode[] {
  const leaves: AnyStateNode[] = [];
  walk(machine.root, (node) => {
    if (node.type === 'atomic' || node.type === 'final') leaves.push(node);
  });
  return leaves;
}

/** Every leaf (atomic or final) state node id of the variant's machine. */
export function allStateIds(variant: VariantKey): string[] {
  return leafNodes(deviceMachine(variant)).map((node) => node.id);
}

/** The state value that a leaf node's path stands for, e.g. {enrolled: {lockScreen: 'locked'}}. */
function valueOfPath(path: readonly string[]): unknown {
  let value: unknown = path[path.length - 1];
  for (let i = path.length - 2; i >= 0; i--) value = { [path[i] as string]: value };
  return value;
}

/** The leaf state ids a snapshot is in. */
export function leafStateIds(variant: VariantKey, snapshot: AnyMachineSnapshot): string[] {
  return leafNodes(deviceMachine(variant))
    .filter((node) => snapshot.matches(valueOfPath(node.path) as never))
    .map((node) => node.id);
}

/**
 * A representative set of events: every command with a right and a wrong value, every
 * user event with the right, an old, a wrong and a malformed passcode. Resets always
 * send GRAPH_TEMPORARY_PASSCODE, so entering it is "the temporary passcode".
 */
export function representativeEvents(): DeviceMachineEvent[] {
  const passcodes = [undefined, GRAPH_TEMPORARY_PASSCODE, GRAPH_USER_PASSCODE, WRONG_PASSCODE];
  return [
    { type: 'ENROLLMENT_COMPLETE' },
    { type: 'RESET_PASSCODE', passcode: GRAPH_TEMPORARY_PASSCODE },
    { type: 'RESET_PASSCODE', passcode: MALFORMED_PASSCODE },
    { type: 'CLEAR_PASSCODE', unlockToken: KEYCHAIN_TOKEN, keychainUnlockToken: KEYCHAIN_TOKEN },
    { type: 'CLEAR_PASSCODE', unlockToken: 'wrong-token', keychainUnlockToken: KEYCHAIN_TOKEN },
    { type: 'CLEAR_PASSCODE', unlockToken: null, keychainUnlockToken: KEYCHAIN_TOKEN },
    { type: 'LOCK' },
    { type: 'LOCK', pin: GRAPH_LOCK_PIN },
    { type: 'WIPE' },
    ...passcodes.map((passcode): DeviceMachineEvent => (passcode === undefined ? { type: 'ENTER_PASSCODE' } : { type: 'ENTER_PASSCODE', passcode })),
    { type: 'ENTER_PASSCODE', passcode: GRAPH_LOCK_PIN },
    { type: 'SET_PASSCODE', passcode: GRAPH_USER_PASSCODE },
    { type: 'SET_PASSCODE', passcode: MALFORMED_PASSCODE },
    ...passcodes.map((passcode): DeviceMachineEvent =>
      passcode === undefined ? { type: 'ENTER_WORK_CHALLENGE' } : { type: 'ENTER_WORK_CHALLENGE', passcode },
    ),
    { type: 'SET_WORK_CHALLENGE', passcode: GRAPH_USER_PASSCODE },
    { type: 'SET_WORK_CHALLENGE', passcode: MALFORMED_PASSCODE },
    { type: 'REBOOT' },
    { type: 'WAKE' },
    { type: 'CHECK_IN' },
    { type: 'GO_OFFLINE' },
    { type: 'GO_ONLINE' },
  ];
}

/**
 * OS versions the traversal tries per variant: either side of each OS threshold its rules
 * have, or null for the variant's default version. A full table, so that a new variant must
 * say whether it has thresholds (it fails to compile until it does).
 */
const TRAVERSAL_OS_VERSIONS: Readonly<Record<VariantKey, readonly string[] | null>> = {
  'android-da-legacy': ['6.0'],
  'android-da-modern': ['7.0', '13'],
  'ae-work-profile-personal': ['7.1', '8.0', '15.0'],
  'ae-work-profile-corporate': null,
  'ae-fully-managed': null,
  'ae-dedicated': null,
  'aosp-user-associated': null,
  'aosp-userless': null,
  'ios-device': null,
  'ios-user-enrollment': null,
  macos: null,
  windows: null,
};

/** A few fact combinations per variant: OS versions either side of the thresholds, a device passcode or not, the policy flags on or off. */
export function factCombinations(variant: VariantKey): DeviceFacts[] {
  const base = defaultFacts(variant);
  const combos: DeviceFacts[] = [];
  for (const osVersion of TRAVERSAL_OS_VERSIONS[variant] ?? [base.osVersion]) {
    for (const devicePasscodeSet of [true, false]) {
      for (const flag of [true, false]) {
        combos.push({
          ...base,
          osVersion,
          devicePasscodeSet,
          passcodePolicy: flag,
          workProfilePasswordSet: flag,
          passcodeCompliancePolicy: flag,
          online: flag,
        });
      }
    }
  }
  return combos;
}

const SECRET_FIELDS = ['temporaryPasscode', 'userPasscode', 'profileTemporary', 'profileUser', 'unlockPin'] as const satisfies ReadonlyArray<keyof DeviceContext>;

/**
 * Key for a traversal state: the state value plus which secrets are set. Exact because
 * the traversal only ever uses one passcode per kind, so a set secret has one digest.
 */
function serializeState(snapshot: AnyMachineSnapshot): string {
  const context = snapshot.context as DeviceContext;
  return `${snapshot.status}|${JSON.stringify(snapshot.value)}|${SECRET_FIELDS.map((f) => (context[f] === 0 ? 0 : 1)).join('')}`;
}

/**
 * Leaf state ids reachable from a freshly built device (before and after enrollment),
 * for a few fact combinations, driven by representativeEvents().
 */
export function reachableStates(variant: VariantKey, factsList: readonly DeviceFacts[] = factCombinations(variant)): Set<string> {
  const machine = deviceMachine(variant);
  const events = representativeEvents();
  const reached = new Set<string>();
  for (const facts of factsList) {
    const paths = getShortestPaths(machine, {
      fromState: unenrolledSnapshot({ ...facts, variant }) as never,
      events: events as never,
      serializeState: serializeState as never,
      limit: 100_000,
    });
    for (const path of paths) {
      for (const id of leafStateIds(variant, path.state as AnyMachineSnapshot)) reached.add(id);
    }
  }
  return reached;
}

/** How many of the variant's transitions a run took, and which it missed. */
export function transitionCoverage(variant: VariantKey, taken: ReadonlySet<string>): { total: number; covered: number; missed: string[] } {
  const all = enumerateTransitions(variant);
  const missed = all.filter((id) => !taken.has(id));
  return { total: all.length, covered: all.length - missed.length, missed };
}
