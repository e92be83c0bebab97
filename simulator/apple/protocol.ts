/**
 * The Apple MDM wire, as a simulated device speaks it: check-in messages (Authenticate,
 * TokenUpdate, CheckOut) and command results are XML property lists sent with PUT; a command
 * arrives as the plist body of the answer (an empty body: nothing queued). Shapes follow Apple's
 * published schema (check-in: authenticate, tokenupdate, checkout; commands: passcode.clear,
 * device.lock, device.erase, information.device, information.security). The `plist` package
 * (maintained, typed, the one Node's Apple tooling uses) reads and writes them.
 */
import { build, parse, type PlistValue } from 'plist';

export const CHECKIN_CONTENT_TYPE = 'application/x-apple-aspen-mdm-checkin';
export const COMMAND_CONTENT_TYPE = 'application/x-apple-aspen-mdm';

export type PlistDict = { [key: string]: PlistValue };

/**
 * Who the device is on the wire: a UDID (device enrollment) or an EnrollmentID (User Enrollment,
 * on the device channel; EnrollmentUserID belongs to a Mac's user channel, not simulated here).
 */
export type EnrollmentIdentity = { UDID: string } | { EnrollmentID: string };

export interface AuthenticateMessage {
  MessageType: 'Authenticate';
  Topic: string;
  SerialNumber?: string;
  Model: string;
  ModelName: string;
  ProductName: string;
  OSVersion: string;
  BuildVersion: string;
  DeviceName?: string;
}

export interface TokenUpdateMessage {
  MessageType: 'TokenUpdate';
  Topic: string;
  Token: Uint8Array;
  PushMagic: string;
  /** The device's unlock token, escrowed; absent on devices without one (User Enrollment). */
  UnlockToken?: Uint8Array;
}

export interface CheckOutMessage {
  MessageType: 'CheckOut';
  Topic: string;
}

export type CheckinMessage = (AuthenticateMessage | TokenUpdateMessage | CheckOutMessage) & EnrollmentIdentity;

export type CommandStatus = 'Idle' | 'Acknowledged' | 'Error' | 'CommandFormatError' | 'NotNow';

export type ErrorChainEntry = PlistDict & {
  ErrorCode: number;
  ErrorDomain: string;
  LocalizedDescription: string;
};

/** A command result (or Idle): the enrollment's id, Status, CommandUUID, and any answer keys. */
export type CommandResult = PlistDict & { Status: CommandStatus };

/** A command as the server sent it. */
export interface Command {
  CommandUUID: string;
  RequestType: string;
  /** The Command dictionary without RequestType. */
  payload: PlistDict;
}

export function encodePlist(value: PlistDict): Uint8Array {
  return new TextEncoder().encode(build(value as PlistValue));
}

/** A dictionary plist, or a one-line reason it is not one. */
export function decodePlistDict(body: Uint8Array | string): PlistDict | string {
  let value: PlistValue;
  // xmldom writes recoverable errors to console.error, quoting the body (which may hold a PIN or a
  // token) and plist gives no way to pass it a handler: silence it for this synchronous parse.
  const log = console.error;
  console.error = () => {};
  try {
    value = parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch (error) {
    return `not a property list (${(error as Error).message.split('\n')[0]})`;
  } finally {
    console.error = log;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) return 'the property list is not a dictionary';
  return value as PlistDict;
}

/** The command in a server's answer: null for an empty body, a reason string for a malformed one. */
export function decodeCommand(body: Uint8Array): Command | null | string {
  if (body.length === 0 || new TextDecoder().decode(body).trim() === '') return null;
  const dict = decodePlistDict(body);
  if (typeof dict === 'string') return dict;
  const uuid = dict.CommandUUID;
  const command = dict.Command;
  if (typeof uuid !== 'string' || uuid === '') return 'the command has no CommandUUID';
  if (command === null || typeof command !== 'object' || Array.isArray(command) || command instanceof Date || command instanceof Uint8Array) return 'the command has no Command dictionary';
  const { RequestType, ...payload } = command as PlistDict;
  if (typeof RequestType !== 'string') return 'the command has no RequestType';
  return { CommandUUID: uuid, RequestType, payload };
}

/** The CommandUUID of a command the device cannot otherwise read, or null when it names none. */
export function commandUuidOf(body: Uint8Array): string | null {
  const dict = decodePlistDict(body);
  return typeof dict !== 'string' && typeof dict.CommandUUID === 'string' && dict.CommandUUID !== '' ? dict.CommandUUID : null;
}

/** The plist type name of a value, for logs that must not hold the value (a PIN, a token). */
export function plistType(value: PlistValue): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'data';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'dict';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'real';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** A command plist, as an MDM server (or a test) enqueues it. */
export function commandPlist(uuid: string, requestType: string, payload: PlistDict = {}): Uint8Array {
  return encodePlist({ CommandUUID: uuid, Command: { RequestType: requestType, ...payload } });
}
