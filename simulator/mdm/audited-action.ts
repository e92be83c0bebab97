import type { DeviceErrorReason } from '../device-events.js';
import { secretDigest } from '../secret-hash.js';
import type { ActionName, ActionState } from '../../contract/actions.js';
import type { ActionRecord } from './reference-mdm-types.js';

const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
/** The 36 character codes of an audit GUID, rewritten for each one. */
const guidCodes: number[] = Array.from('00000000-0000-4000-a000-000000000000', (ch) => ch.charCodeAt(0));

/** Writes the last `len` hex digits of a non-negative integer (< 2^53), zero-padded, ending before `end`. */
function putHex(value: number, len: number, end: number): void {
  for (let i = end - 1; i >= end - len; i--) {
    guidCodes[i] = HEX_CODES[value % 16]!;
    value = Math.floor(value / 16);
  }
}

/**
 * An action as recorded: its audit id (two digests) is worked out each time it is read, so the
 * many answers that never show it (a notSupported reset, most of a fleet-wide reset's) do not pay
 * for it, and the up to 100 000 kept audits do not each hold a 36-character string.
 */
export class AuditedAction implements ActionRecord {
  passcode: string | null = null;
  unlockPin: string | null = null;
  errorCode = 0;
  errorReason: DeviceErrorReason | null = null;
  updatedAt: number;
  constructor(
    private readonly seed: number,
    private readonly auditNumber: number,
    readonly deviceSeq: number,
    readonly actionName: ActionName,
    public actionState: ActionState,
    readonly initiatedBy: string,
    readonly startedAt: number,
  ) {
    this.updatedAt = startedAt;
  }
  get auditId(): string {
    return auditGuid(this.seed, this.auditNumber);
  }
  toJSON(): ActionRecord {
    const { deviceSeq, actionName, actionState, initiatedBy, startedAt, updatedAt, passcode, unlockPin, errorCode, errorReason } = this;
    return { auditId: this.auditId, deviceSeq, actionName, actionState, initiatedBy, startedAt, updatedAt, passcode, unlockPin, errorCode, errorReason };
  }
}

/** `${hex(a, 8)}-${hex(a / 2^32, 4)}-4${hex(b, 3)}-a${hex(b / 2^20, 3)}-${hex(n, 12)}`, built flat (no rope strings). */
function auditGuid(seed: number, n: number): string {
  const a = secretDigest(`audit/${n}`, seed);
  const b = secretDigest(`audit/${n}/b`, seed);
  putHex(a, 8, 8);
  putHex(Math.floor(a / 2 ** 32), 4, 13);
  putHex(b, 3, 18);
  putHex(Math.floor(b / 2 ** 20), 3, 23);
  putHex(n, 12, 36);
  return String.fromCharCode.apply(null, guidCodes);
}
