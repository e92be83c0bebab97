import type { DeviceErrorReason } from '../device-events.js';

/** Numeric error codes, stable for reports (Graph's errorCode is an integer). */
const ERROR_CODES: Readonly<Record<DeviceErrorReason, number>> = {
  API_LEVEL: 1001,
  MANAGEMENT_MODE: 1002,
  INVALID_VALUE: 1003,
  UNSUPPORTED: 1004,
  RESET_TOKEN_NOT_ACTIVE: 1101,
  BAD_UNLOCK_TOKEN: 1201,
  UNLOCK_TOKEN_MISSING: 1202,
  NO_PASSCODE_POLICY: 1301,
  LOCK_PIN_OUTSTANDING: 1302,
};

export function errorCodeOf(reason: DeviceErrorReason): number {
  return ERROR_CODES[reason];
}
