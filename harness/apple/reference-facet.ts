/**
 * The `apple` facet on the reference MDM (the embedded default): a server that decides what to
 * send. Its devices are fleet devices enrolled through the simulation API; they enroll in its
 * Apple MDM server over the protocol and act (poll, TokenUpdate, CheckOut, NotNow) when asked
 * through `POST /sim/devices/{id}/apple`. Admin intents go through its Graph API, as an admin
 * would act (resetPasscode, remoteLock, wipe), raw commands through its NanoMDM-style admin API,
 * and an untrusted device knocks on `PUT /mdm` itself. Everything goes over the target's own
 * transport, so the same facet works in-process and over HTTP.
 */
import type { AdminAnswer, AdminView, AppleDevice, AppleFacet, AppleReceived, AppleTruth, AppleVariant } from '../../scenarios/apple-dsl.js';
import type { RoleName } from '../../contract/roles.js';
import { secretDigest } from '../../simulator/secret-hash.js';
import type { Fetch } from '../../simulator/apple/agent.js';
import { commandPlist } from '../../simulator/apple/protocol.js';
import type { LockstepClient } from '../client.js';

const ADMIN: RoleName = 'intune-administrator';
const SIM: RoleName = 'sim-controller';

interface DeviceSide {
  enrolled: boolean;
  checkedOut: boolean;
  lockPinDigest: number | null;
  enrollmentId: string;
}

export interface ReferenceFacetOptions {
  client: LockstepClient;
  /** The target's transport (in-process or HTTP), for PUT /mdm and the admin API. */
  fetch: typeof fetch;
  /** The admin API's key (`nanomdm:KEY`). */
  apiKey: string;
  seed: number;
}

export class ReferenceAppleFacet implements AppleFacet {
  readonly commandPolicy = 'policy' as const;
  /** Enrollment id -> managed device id. */
  private readonly managed = new Map<string, string>();
  private next = 0;
  constructor(private readonly options: ReferenceFacetOptions) {}

  private get client(): LockstepClient {
    return this.options.client;
  }

  private idOf(device: AppleDevice): string {
    const id = this.managed.get(device.id);
    if (!id) throw new Error(`no simulated device ${device.id}`);
    return id;
  }

  private async step(device: AppleDevice | string, body: Record<string, unknown>): Promise<AppleReceived[]> {
    const id = typeof device === 'string' ? device : this.idOf(device);
    const reply = await this.client.request<{ handled: AppleReceived[]; error?: { message: string } }>(SIM, 'POST', `/sim/devices/${id}/apple`, body);
    if (reply.status !== 200) throw new Error(`${String(body.action)} on ${id}: HTTP ${reply.status} ${reply.body?.error?.message ?? ''}`);
    return reply.body.handled;
  }

  private async side(device: AppleDevice): Promise<DeviceSide> {
    const reply = await this.client.request<DeviceSide>(SIM, 'GET', `/sim/devices/${this.idOf(device)}/apple`);
    if (reply.status !== 200) throw new Error(`the Apple side of ${device.id}: HTTP ${reply.status}`);
    return reply.body;
  }

  async enroll(variant: AppleVariant, options: { unlockToken?: 'good' | 'bad' | 'missing' } = {}): Promise<AppleDevice> {
    const spec = { variant, devicePasscodeSet: true, online: true, ...(variant === 'ios-device' ? { unlockToken: options.unlockToken ?? 'good' } : {}) };
    const made = await this.client.request<{ id: string }>(SIM, 'POST', '/sim/devices', spec);
    if (made.status !== 201) throw new Error(`enrolling a ${variant}: HTTP ${made.status}`);
    await this.step(made.body.id, { action: 'enroll' });
    const side = await this.client.request<DeviceSide>(SIM, 'GET', `/sim/devices/${made.body.id}/apple`);
    this.managed.set(side.body.enrollmentId, made.body.id);
    return { id: side.body.enrollmentId, variant };
  }

  private async act(device: AppleDevice, action: 'resetPasscode' | 'remoteLock' | 'wipe'): Promise<AdminAnswer> {
    const reply = await this.client.request(ADMIN, 'POST', this.client.graphPath(`/managedDevices/${this.idOf(device)}/${action}`));
    return reply.status === 204 ? 'queued' : 'refused';
  }

  clearPasscode(device: AppleDevice): Promise<AdminAnswer> {
    return this.act(device, 'resetPasscode');
  }

  lock(device: AppleDevice): Promise<AdminAnswer> {
    return this.act(device, 'remoteLock');
  }

  erase(device: AppleDevice): Promise<AdminAnswer> {
    return this.act(device, 'wipe');
  }

  /** A raw command through the NanoMDM-style admin API; its (seeded) CommandUUID. */
  async send(device: AppleDevice, requestType: string): Promise<string> {
    const uuid = this.uuid();
    const response = await this.options.fetch(`${this.client.baseUrl}/v1/enqueue/${encodeURIComponent(device.id)}`, {
      method: 'PUT',
      headers: { authorization: this.authorization, 'content-type': 'application/xml' },
      body: commandPlist(uuid, requestType),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`enqueue ${requestType} for ${device.id}: HTTP ${response.status}`);
    return uuid;
  }

  poll(device: AppleDevice): Promise<AppleReceived[]> {
    return this.step(device, { action: 'poll' });
  }

  async tokenUpdate(device: AppleDevice, options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean }): Promise<void> {
    await this.step(device, { action: 'tokenUpdate', ...options });
  }

  async checkOut(device: AppleDevice): Promise<void> {
    await this.step(device, { action: 'checkOut' });
  }

  async deferNext(device: AppleDevice, count: number): Promise<void> {
    await this.step(device, { action: 'notNow', count });
  }

  async truth(device: AppleDevice): Promise<AppleTruth> {
    const reply = await this.client.request<AppleTruth>(SIM, 'GET', `/sim/devices/${this.idOf(device)}`);
    return { devicePasscode: reply.body.devicePasscode, lockScreen: reply.body.lockScreen, checkedOut: (await this.side(device)).checkedOut };
  }

  async untrustedCheckin(): Promise<{ status: number; enrolled: boolean }> {
    // Loaded here: the certificate library is heavy, and only this check needs a device of its own.
    const [{ generateDevice }, { AgentError, AppleDeviceAgent }, { RunCa }] = await Promise.all([
      import('../../simulator/fleet-generator.js'),
      import('../../simulator/apple/agent.js'),
      import('../../simulator/apple/identity.js'),
    ]);
    const stranger = await RunCa.create('a CA the server does not trust');
    const profile = generateDevice(this.options.seed, 0x7fff0000 + this.next++, 'ios-device');
    const transport: Fetch = (url, init) => this.options.fetch(url, init);
    const agent = new AppleDeviceAgent(profile, { serverUrl: `${this.client.baseUrl}/mdm`, topic: 'com.apple.mgmt.External.lockstep', identity: await stranger.issue(profile.id), identityMode: 'signature', fetch: transport });
    let status = 200;
    try {
      await agent.enroll();
    } catch (error) {
      if (!(error instanceof AgentError) || error.status === undefined) throw error;
      status = error.status;
    }
    // The admin API queues commands for enrollments only: a refusal means none was made.
    const probe = await this.options.fetch(`${this.client.baseUrl}/v1/enqueue/${agent.enrollmentId}`, {
      method: 'PUT',
      headers: { authorization: this.authorization },
      body: commandPlist(this.uuid(), 'DeviceInformation'),
    });
    await probe.text();
    return { status, enrolled: probe.status === 200 };
  }

  async adminView(device: AppleDevice): Promise<AdminView> {
    const reply = await this.client.request<{ deviceActionResults?: { actionName: string; actionState: string; unlockPin?: string | null }[] }>(ADMIN, 'GET', this.client.graphPath(`/managedDevices/${this.idOf(device)}`, 'beta'));
    const actions: Record<string, string> = {};
    let pin: string | null = null;
    for (const result of reply.body.deviceActionResults ?? []) {
      actions[result.actionName] = result.actionState;
      if (result.actionName === 'remoteLock' && typeof result.unlockPin === 'string') pin = result.unlockPin;
    }
    const { lockPinDigest } = await this.side(device);
    // Compared as digests: the device side never shows its PIN.
    const lockPinMatchesDevice = pin === null && lockPinDigest === null ? null : pin !== null && secretDigest(pin) === lockPinDigest;
    return { actions, lockPinMatchesDevice };
  }

  private get authorization(): string {
    return `Basic ${Buffer.from(`nanomdm:${this.options.apiKey}`).toString('base64')}`;
  }

  /** Seeded, RFC 4122-shaped: the same run sends the same command UUIDs. */
  private uuid(): string {
    const h = `${secretDigest(`uuid/${this.next}`, this.options.seed).toString(16).padStart(14, '0')}${secretDigest(`uuid/${this.next++}/2`, this.options.seed).toString(16).padStart(14, '0')}`;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-A${h.slice(15, 18)}-${h.slice(18, 28).padEnd(12, '0')}`.toUpperCase();
  }
}
