/**
 * The ErrorChain a simulated Apple device answers a refused command with, and the way back: a
 * server reads the first entry's code to tell why (the reference shows it on the Graph action).
 * One table for both directions, so every refusal the device model can give survives the wire.
 * The codes are lockstep's own, in the 12000 range Apple's MCMDMErrorDomain uses.
 */
import { DEVICE_ERROR_REASONS, type DeviceErrorReason } from '../device-events.js';
import type { ErrorChainEntry } from './protocol.js';

export const ERROR_DOMAIN = 'MCMDMErrorDomain';

/** Refusals the device itself adds to the model's: a RequestType it does not handle, a Mac command without its PIN. */
export type AgentRefusal = DeviceErrorReason | 'UNKNOWN_COMMAND' | 'PIN_REQUIRED';

const CODES: Readonly<Record<AgentRefusal, number>> = {
  API_LEVEL: 12020,
  UNSUPPORTED: 12021,
  UNKNOWN_COMMAND: 12022,
  INVALID_VALUE: 12024,
  PIN_REQUIRED: 12025,
  BAD_UNLOCK_TOKEN: 12066,
  UNLOCK_TOKEN_MISSING: 12067,
  MANAGEMENT_MODE: 12070,
  NO_PASSCODE_POLICY: 12071,
  RESET_TOKEN_NOT_ACTIVE: 12072,
  LOCK_PIN_OUTSTANDING: 12081,
};

const REASONS = new Map<number, DeviceErrorReason>(DEVICE_ERROR_REASONS.map((reason) => [CODES[reason], reason]));

export function errorChainOf(refusal: AgentRefusal, text: string): ErrorChainEntry[] {
  return [{ ErrorCode: CODES[refusal], ErrorDomain: ERROR_DOMAIN, LocalizedDescription: text, USEnglishDescription: text }];
}

/**
 * Why a device refused, as a Graph action shows it: the model's reason where the code is one;
 * a missing or malformed PIN is an invalid value, and anything else (a code from a real device
 * or another server) is unsupported.
 */
export function refusalReasonOf(chain: readonly ErrorChainEntry[]): DeviceErrorReason {
  const code = Number(chain[0]?.ErrorCode);
  if (code === CODES.PIN_REQUIRED) return 'INVALID_VALUE';
  return REASONS.get(code) ?? 'UNSUPPORTED';
}
