/**
 * Wrong MDMs on what a server decides to send an Apple device, or shows of its answer (AP-2,
 * AP-3, AP-4, AP-6, AP-9): the reference with one bad decision. Each sends its wrong command on
 * the reference's own Apple MDM server, so the device receives it over the protocol exactly as
 * from a vendor's server; the apple-mdm area judges it from the device side.
 */
import type { DeviceRecord, ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import { commandPlist, type PlistDict } from '../../simulator/apple/protocol.js';
import { actionRequest, editsResults, pathOf, type ActionName } from './http.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';
import { is } from './picks.js';

let sent = 0;
/** A fixed-shape CommandUUID of the wrong server's own. */
const wrongUuid = () => `0BAD0000-0000-4000-A000-${String(++sent).padStart(12, '0')}`;

/** Queues a command plist for the device on the reference's Apple server, as a vendor's server would. */
function sendOnWire(mdm: ReferenceMdm, record: DeviceRecord, requestType: string, payload: PlistDict): boolean {
  const wire = mdm.appleWire;
  const enrollmentId = wire?.view(record)?.enrollmentId;
  if (!wire || !enrollmentId) return false;
  return typeof wire.server.enqueue(enrollmentId, commandPlist(wrongUuid(), requestType, payload)) !== 'string';
}

/** Instead of the reference's own decision, this action on these devices sends `requestType` with `payload` (and answers 204). */
function sendsInstead(action: ActionName, variant: string, requestType: string, payload: PlistDict): WrapFetch {
  return (fetch, mdm) => async (request) => {
    const asked = actionRequest(request);
    const record = asked?.action === action ? mdm.get(asked.id) : undefined;
    if (record && record.profile.facts.variant === variant && sendOnWire(mdm, record, requestType, payload)) return new Response(null, { status: 204 });
    return fetch(request);
  };
}

const SIM_APPLE_STEP = /^\/sim\/devices\/([^/?]+)\/apple\/?$/;
const ENQUEUE = /^\/v1\/enqueue\/([^/?]+)\/?$/;

/** AP-6: the server takes no notice of a CheckOut (the enrollment stays active, its commands flow). */
const ignoresCheckOut: WrapFetch = (fetch, mdm) => async (request) => {
  const match = request.method === 'POST' ? SIM_APPLE_STEP.exec(pathOf(request)) : null;
  const body = match ? ((await request.clone().json().catch(() => ({}))) as { action?: string }) : {};
  const response = await fetch(request);
  const record = match ? mdm.get(decodeURIComponent(match[1]!)) : undefined;
  const enrollment = record && body.action === 'checkOut' ? mdm.appleWire?.server.enrollments.get(mdm.appleWire.view(record)?.enrollmentId ?? '') : undefined;
  if (enrollment) enrollment.checkedOut = false;
  return response;
};

/** AP-6: a command queued for a checked-out enrollment brings it back to life, so the device gets it at its next poll. */
const queuesAfterCheckOut: WrapFetch = (fetch, mdm) => async (request) => {
  const match = request.method === 'PUT' ? ENQUEUE.exec(pathOf(request)) : null;
  const enrollment = match ? mdm.appleWire?.server.enrollments.get(decodeURIComponent(match[1]!)) : undefined;
  if (enrollment?.checkedOut) enrollment.checkedOut = false;
  return fetch(request);
};

export const APPLE_POLICY_MUTANTS: MutantGroup = {
  name: 'apple-policy',
  mutants: [
    mutant('AP-2', 'clears-a-mac', 'answers resetPasscode on a Mac by sending it ClearPasscode, which Apple does not offer there', sendsInstead('resetPasscode', 'macos', 'ClearPasscode', {})),
    mutant('AP-2', 'clears-a-user-enrollment', 'sends ClearPasscode to a User Enrollment device, where Apple forbids it', sendsInstead('resetPasscode', 'ios-user-enrollment', 'ClearPasscode', {})),
    mutant('AP-3', 'locks-a-mac-without-pin', 'sends a Mac DeviceLock without the six-digit PIN it needs', sendsInstead('remoteLock', 'macos', 'DeviceLock', { Message: 'Locked by IT' })),
    mutant('AP-3', 'gives-an-iphone-a-pin', 'sends an iPhone a DeviceLock with a PIN (a Mac-only key)', sendsInstead('remoteLock', 'ios-device', 'DeviceLock', { PIN: '482913' })),
    mutant('AP-4', 'erases-a-mac-without-pin', 'sends a Mac EraseDevice without the Find My PIN', sendsInstead('wipe', 'macos', 'EraseDevice', {})),
    mutant('AP-4', 'erases-a-mac-with-four-digits', 'sends a Mac EraseDevice with a four-digit PIN where six are needed', sendsInstead('wipe', 'macos', 'EraseDevice', { PIN: '4829' })),
    mutant('AP-6', 'ignores-checkout', 'takes no notice of a CheckOut: the enrollment stays active and gets commands', ignoresCheckOut),
    mutant('AP-6', 'queues-after-checkout', 'revives a checked-out enrollment when the admin API queues a command for it', queuesAfterCheckOut),
    mutant('AP-9', 'refusal-shown-done', 'shows a ClearPasscode the iPhone answered with Error as done', editsResults('resetPasscode', is('ios-device'), (r) => {
      if (r.actionState !== 'failed') return false;
      r.actionState = 'done';
      return true;
    })),
    mutant('AP-9', 'shows-another-pin', 'shows the admin a Mac lock PIN other than the one the DeviceLock carried', editsResults('remoteLock', is('macos'), (r) => {
      if (typeof r.unlockPin !== 'string') return false;
      r.unlockPin = r.unlockPin === '000000' ? '111111' : '000000';
      return true;
    })),
  ],
};
