/**
 * The Apple MDM protocol from the device side (rows AP-1..AP-10 of the catalogue): simulated
 * iPhones, User Enrollment devices and Macs enroll in the server under test and judge it by the
 * commands they receive. Run with `lockstep run --apple-mdm URL --enqueue ADAPTER`; skipped when
 * the run has no Apple MDM server. Rows about what the server decides to send (AP-2, AP-3, AP-4,
 * AP-9) skip on a raw command queue (NanoMDM), which sends exactly what its admin API is given.
 */
import type { AppleDevice, AppleFacet, AppleReceived } from './apple-dsl.js';
import { scenario, type Scenario, type ScenarioContext } from './dsl.js';

function appleOf(t: ScenarioContext): AppleFacet {
  if (!t.apple) t.skip('no Apple MDM server in this run (lockstep run --apple-mdm URL --enqueue ADAPTER)');
  return t.apple;
}

function decidingServer(t: ScenarioContext): AppleFacet {
  const apple = appleOf(t);
  if (apple.commandPolicy === 'raw') t.skip('the server is a raw command queue: it sends what its admin API is given, so what to send is not its decision');
  return apple;
}

const describe = (r: AppleReceived[]) => (r.length ? r.map((c) => `${c.requestType}:${c.status}`).join(', ') : 'nothing');

const escrowedToken = scenario({
  id: 'apple/clear-passcode/escrowed-token',
  title: 'ClearPasscode carries the UnlockToken the iPhone escrowed; the passcode is cleared; a device with a wrong token answers Error and keeps it',
  area: 'apple-mdm',
  requirements: ['AP-1'],
  tags: ['apple', 'ios-device', 'ClearPasscode'],
  variant: 'ios-device',
  action: 'removal',
  async run(t) {
    const apple = appleOf(t);
    const good = await apple.enroll('ios-device');
    t.check('AP-1', 'admin clear-passcode request', await apple.clearPasscode(good), 'queued');
    const [clear] = (await apple.poll(good)).filter((c) => c.requestType === 'ClearPasscode');
    t.check('AP-1', 'ClearPasscode delivered', clear?.requestType, 'ClearPasscode');
    t.check('AP-1', 'its UnlockToken is the one the device escrowed', clear?.tokenIsEscrowed, true);
    t.check('AP-1', "the device's answer", clear?.status, 'Acknowledged');
    t.check('AP-1', 'device passcode afterwards', (await apple.truth(good)).devicePasscode, 'none');
    const stale = await apple.enroll('ios-device', { unlockToken: 'bad' });
    await apple.clearPasscode(stale);
    const [refused] = (await apple.poll(stale)).filter((c) => c.requestType === 'ClearPasscode');
    t.check('AP-1', 'a device whose keychain no longer holds the escrowed token answers', refused?.status, 'Error');
    const kept = (await apple.truth(stale)).devicePasscode;
    t.checkThat('AP-1', 'and keeps its passcode', kept !== 'none', 'a passcode', kept);
  },
});

const noClearWhereForbidden = scenario({
  id: 'apple/clear-passcode/not-to-user-enrollment-or-mac',
  title: 'No ClearPasscode is sent to a User Enrollment device or a Mac',
  area: 'apple-mdm',
  requirements: ['AP-2'],
  tags: ['apple', 'ios-user-enrollment', 'macos', 'ClearPasscode'],
  async run(t) {
    const apple = decidingServer(t);
    for (const variant of ['ios-user-enrollment', 'macos'] as const) {
      const d = await apple.enroll(variant);
      await apple.clearPasscode(d);
      const received = await apple.poll(d);
      t.checkThat('AP-2', `${variant}: no ClearPasscode`, !received.some((c) => c.requestType === 'ClearPasscode'), 'none', describe(received));
    }
  },
});

const lockPins = scenario({
  id: 'apple/device-lock/mac-pin-iphone-none',
  title: 'DeviceLock carries a six-digit PIN to a Mac (which locks with it) and none to an iPhone',
  area: 'apple-mdm',
  requirements: ['AP-3'],
  tags: ['apple', 'macos', 'ios-device', 'DeviceLock'],
  action: 'remoteLock',
  async run(t) {
    const apple = decidingServer(t);
    const mac = await apple.enroll('macos');
    await apple.lock(mac);
    const [macLock] = (await apple.poll(mac)).filter((c) => c.requestType === 'DeviceLock');
    t.check('AP-3', 'Mac DeviceLock PIN length', macLock?.pinLength, 6);
    t.check('AP-3', 'Mac lock screen', (await apple.truth(mac)).lockScreen, 'locked');
    const phone = await apple.enroll('ios-device');
    await apple.lock(phone);
    const [phoneLock] = (await apple.poll(phone)).filter((c) => c.requestType === 'DeviceLock');
    t.check('AP-3', 'iPhone DeviceLock PIN', phoneLock?.pinLength, null);
  },
});

const erasePin = scenario({
  id: 'apple/erase/mac-pin',
  title: 'EraseDevice to a Mac carries a six-digit Find My PIN',
  area: 'apple-mdm',
  requirements: ['AP-4'],
  tags: ['apple', 'macos', 'EraseDevice'],
  action: 'wipe',
  async run(t) {
    const apple = decidingServer(t);
    const mac = await apple.enroll('macos');
    await apple.erase(mac);
    const [erase] = (await apple.poll(mac)).filter((c) => c.requestType === 'EraseDevice');
    t.check('AP-4', 'Mac EraseDevice PIN length', erase?.pinLength, 6);
  },
});

const commandFlow = scenario({
  id: 'apple/commands/acknowledged-once-notnow-again',
  title: 'Each command has a CommandUUID; Acknowledged and Error are final; NotNow is delivered again',
  area: 'apple-mdm',
  requirements: ['AP-5'],
  tags: ['apple', 'ios-device', 'queue'],
  async run(t) {
    const apple = appleOf(t);
    const d = await apple.enroll('ios-device');
    const info = await apple.send(d, 'DeviceInformation');
    const unknown = await apple.send(d, 'ProfileList.lockstep-unknown');
    const first = await apple.poll(d);
    t.checkThat('AP-5', 'both commands delivered with their CommandUUIDs', [info, unknown].every((u) => first.some((c) => c.commandUuid === u)), `${info}, ${unknown}`, describe(first));
    t.checkThat('AP-5', 'every command has a CommandUUID', first.every((c) => c.commandUuid !== ''), 'all', describe(first));
    const twice = first.filter((c, i) => first.findIndex((o) => o.commandUuid === c.commandUuid) !== i);
    t.checkThat('AP-5', 'no command delivered again after its answer', twice.length === 0, 'each once', twice.length ? `again: ${describe(twice)}` : 'each once');
    const again = await apple.poll(d);
    t.check('AP-5', 'commands delivered again after Acknowledged / Error', describe(again), 'nothing');
    const deferred = await apple.send(d, 'SecurityInfo');
    await apple.deferNext(d, 1);
    const notNow = await apple.poll(d);
    t.check('AP-5', 'first delivery answered', notNow.find((c) => c.commandUuid === deferred)?.status, 'NotNow');
    const later = await apple.poll(d);
    t.check('AP-5', 'NotNow command at the next poll', later.find((c) => c.commandUuid === deferred)?.status, 'Acknowledged');
  },
});

const afterCheckOut = scenario({
  id: 'apple/checkout/no-more-commands',
  title: 'After CheckOut the server sends the enrollment no command',
  area: 'apple-mdm',
  requirements: ['AP-6'],
  tags: ['apple', 'ios-device', 'CheckOut'],
  async run(t) {
    const apple = appleOf(t);
    const d = await apple.enroll('ios-device');
    await apple.checkOut(d);
    await apple.send(d, 'DeviceInformation').catch(() => 'refused');
    const received = await apple.poll(d).catch(() => [] as AppleReceived[]);
    t.check('AP-6', 'commands after CheckOut', describe(received), 'nothing');
  },
});

const identity = scenario({
  id: 'apple/identity/untrusted-refused',
  title: 'A check-in by a certificate the server does not trust gets a 4xx and enrolls nothing',
  area: 'apple-mdm',
  requirements: ['AP-7'],
  tags: ['apple', 'identity'],
  async run(t) {
    const { status, enrolled } = await appleOf(t).untrustedCheckin();
    t.checkThat('AP-7', 'HTTP status of an untrusted check-in', status >= 400 && status < 500, '4xx', `HTTP ${status}`);
    t.check('AP-7', 'the untrusted device became an enrollment', enrolled, false);
  },
});

const tokenRotation = scenario({
  id: 'apple/clear-passcode/latest-token',
  title: 'After a TokenUpdate with a new UnlockToken, ClearPasscode carries the new one; a TokenUpdate without one keeps it',
  area: 'apple-mdm',
  requirements: ['AP-8'],
  tags: ['apple', 'ios-device', 'TokenUpdate'],
  action: 'removal',
  async run(t) {
    const apple = appleOf(t);
    const d = await apple.enroll('ios-device');
    await apple.tokenUpdate(d, { rotateUnlockToken: true });
    await apple.tokenUpdate(d, { withoutUnlockToken: true });
    await apple.clearPasscode(d);
    const [clear] = (await apple.poll(d)).filter((c) => c.requestType === 'ClearPasscode');
    t.check('AP-8', 'ClearPasscode carries the newest escrowed token', clear?.tokenIsEscrowed, true);
    t.check('AP-8', "the device's answer", clear?.status, 'Acknowledged');
  },
});

const adminView = scenario({
  id: 'apple/admin-view/error-shows-failed',
  title: 'The admin view shows a command the device refused as failed, and a Mac lock with its PIN',
  area: 'apple-mdm',
  requirements: ['AP-9'],
  tags: ['apple', 'admin-view'],
  async run(t) {
    const apple = decidingServer(t);
    const adminView = apple.adminView?.bind(apple) ?? t.skip('the server under test has no admin view lockstep can read');
    const stale = await apple.enroll('ios-device', { unlockToken: 'bad' });
    await apple.clearPasscode(stale);
    const [clear] = (await apple.poll(stale)).filter((c) => c.requestType === 'ClearPasscode');
    t.check('AP-9', "the iPhone's answer to ClearPasscode with a token it no longer holds", clear?.status, 'Error');
    t.check('AP-9', 'that ClearPasscode in the admin view', (await adminView(stale)).actions.resetPasscode, 'failed');
    const mac = await apple.enroll('macos');
    await apple.lock(mac);
    const [lock] = (await apple.poll(mac)).filter((c) => c.requestType === 'DeviceLock');
    t.check('AP-9', "the Mac's answer to DeviceLock", lock?.status, 'Acknowledged');
    const view = await adminView(mac);
    t.check('AP-9', 'that DeviceLock in the admin view', view.actions.remoteLock, 'done');
    t.check('AP-9', 'the PIN the admin view shows is the one the Mac locked with', view.lockPinMatchesDevice, true);
  },
});

/** Apple's schema for the commands lockstep sends or receives: key -> plist type. */
const SCHEMA: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ClearPasscode: { UnlockToken: 'data' },
  DeviceLock: { Message: 'string', PhoneNumber: 'string', PIN: 'string', RequestRequiresNetworkTether: 'bool' },
  EraseDevice: { PIN: 'string', PreserveDataPlan: 'bool', DisallowProximitySetup: 'bool', ObliterationBehavior: 'string', ReturnToService: 'dict' },
  DeviceInformation: { Queries: 'array' },
  SecurityInfo: {},
};

const payloadSchema = scenario({
  id: 'apple/commands/schema',
  title: "Command payloads use the keys and types of Apple's schema",
  area: 'apple-mdm',
  requirements: ['AP-10'],
  tags: ['apple', 'schema'],
  async run(t) {
    const apple = appleOf(t);
    const devices: AppleDevice[] = [await apple.enroll('ios-device'), await apple.enroll('macos')];
    await apple.clearPasscode(devices[0]!);
    await apple.lock(devices[1]!);
    const received = [...(await apple.poll(devices[0]!)), ...(await apple.poll(devices[1]!))];
    for (const c of received) {
      // A command the device cannot read (no CommandUUID, no Command.RequestType) is answered CommandFormatError.
      const readable = c.status !== 'CommandFormatError';
      t.checkThat('AP-10', 'every command is a readable command plist', readable, 'CommandUUID and a Command dictionary with RequestType', readable ? 'readable' : `${c.commandUuid || 'a command without CommandUUID'}: answered CommandFormatError`);
      const schema = SCHEMA[c.requestType];
      if (!schema) continue;
      const outside = Object.entries(c.keys).filter(([key, type]) => schema[key] !== type).map(([key, type]) => `${key} (${type})`);
      t.checkThat('AP-10', `${c.requestType} keys`, outside.length === 0, "only the schema's keys and types", outside.length ? outside.join(', ') : 'as in the schema');
    }
  },
});

export const APPLE_MDM_SCENARIOS: readonly Scenario[] = [escrowedToken, noClearWhereForbidden, lockPins, erasePin, commandFlow, afterCheckOut, identity, tokenRotation, adminView, payloadSchema];
