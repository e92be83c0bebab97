/** What the fuzz model remembers of each device and its actions, and the shapes its steps pass around. */
import type { ActionName, ActionState } from '../../contract/actions.js';
import type { ActionResult, EnrollSpec, Truth } from '../../contract/wire.js';
import type { VariantKey } from '../../contract/variants.js';
import type { GraphRole, Scope } from './catalogue.js';
import type { Prediction } from './prediction.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** TP-3: how long the admin sees a temporary passcode. */
export const PASSCODE_WINDOW_MS = 7 * DAY_MS;
/** By then an online device has taken every command pushed to it. */
export const CONVERGENCE_MS = 15 * MINUTE_MS;
/** The admin who reads the devices when a step has no acting role: may see every secret. */
export const ADMIN_READER: GraphRole = 'intune-administrator';

// ---- Devices and actions ---------------------------------------------------------------

/** One remote action the model knows of: the latest of its name is the device's action result. */
export interface ActionModel {
  name: ActionName;
  /** The state last observed (adopted once it matched the prediction). */
  state: ActionState;
  /** The requirement that decides its outcome. */
  requirement: string;
  requestedAt: number;
  /** The temporary passcode or unlock PIN, once an admin has seen it. Never reported. */
  secret: string | null;
}

/** A device secret the user can type: their own, or a temporary one an action set (known once the admin saw it). */
export type Secret = 'user' | 'unknown' | ActionModel | null;

export interface DeviceModel {
  index: number;
  id: string;
  variant: VariantKey;
  spec: EnrollSpec;
  major: number | null;
  truth: Truth;
  /** The wipe reached the device: it is no longer enrolled, steps leave it alone. */
  wiped: boolean;
  /** Accepted actions waiting for the device, in the order requested. */
  pending: ActionModel[];
  /** Canceled commands a target may still count in pendingCommands until the next check-in. */
  canceledQueued: number;
  actions: Partial<Record<ActionName, ActionModel>>;
  /** How the latest request of each action ended: accepted (204), refused (400) or forbidden (401/403). */
  lastRequest: Partial<Record<ActionName, 'accepted' | 'refused'>>;
  deviceSecret: Secret;
  workProfileSecret: Secret;
  /** macOS: the lock whose PIN has not been used yet (RL-5). */
  lockPin: ActionModel | null;
  /** AN-4: a never-activated reset token was lost on reboot and waits for the next check-in. */
  tokenLost: boolean;
  onlineSince: number;
  /** Device actions list bounds: requests that must appear (accepted) and may appear (refused with 400). */
  audit: { accepted: number; refused: number; forbidden: number };
}

export interface ActionPrediction {
  values: readonly (ActionState | 'absent')[];
  requirement: string;
  /** The action the observed entry stands for. */
  model: ActionModel | null;
  /** A refused request the target may record as notSupported instead (ST-3). */
  refused?: ActionModel;
}

export interface Outcome {
  truth: Prediction;
  actions: Map<ActionName, ActionPrediction>;
  /** Allowed pendingCommands (a target may still count canceled commands). */
  pending: readonly [number, number];
  pendingRequirement: string;
  /** Actions this outcome delivers to the device, in order. */
  delivered: ActionModel[];
}

export interface Observation {
  truthStatus: number;
  truth?: Truth;
  viewStatus: number;
  results?: ActionResult[];
  viewer: GraphRole;
}

export type DeliveryMode = 'must' | 'may' | 'mustNot';

/** A user or device event of the simulation API, as the fuzzer drives it. */
export type ModelEvent =
  | { type: 'enterPasscode'; scope: Scope; passcode: 'own' | 'learned' | 'wrong' }
  | { type: 'setPasscode'; scope: Scope; passcode: string }
  | { type: 'reboot' }
  | { type: 'goOffline' }
  | { type: 'goOnline' }
  | { type: 'checkIn' };

/** How the contract's Device actions list names each action. */
export function auditActionName(action: ActionName): string {
  return action === 'wipe' ? 'factoryReset' : action;
}

export function describeEvent(event: ModelEvent): string {
  switch (event.type) {
    case 'enterPasscode':
      return `enterPasscode (${event.passcode === 'learned' ? 'the passcode the admin was shown' : event.passcode === 'own' ? 'their own' : 'a wrong one'}${event.scope === 'workProfile' ? ', work profile' : ''})`;
    case 'setPasscode':
      return `setPasscode${event.scope === 'workProfile' ? ' (work profile)' : ''}`;
    default:
      return event.type;
  }
}
