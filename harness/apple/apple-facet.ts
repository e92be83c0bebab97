/**
 * The `apple` facet of a scenario context (scenarios/apple-dsl.ts) on a real Apple MDM server:
 * device agents (simulator/apple/agent.ts) enrolled over its protocol, admin intents through its
 * admin API adapter, escrowed tokens as its check-in webhook reports them.
 */
import { randomUUID } from 'node:crypto';
import type { AdminAnswer, AppleDevice, AppleFacet, AppleReceived, AppleTruth, AppleVariant } from '../../scenarios/apple-dsl.js';
import { generateDevice } from '../../simulator/fleet-generator.js';
import type { AppleMdmAdmin } from '../../simulator/apple/admin.js';
import { AgentError, AppleDeviceAgent } from '../../simulator/apple/agent.js';
import { RunCa } from '../../simulator/apple/identity.js';
import { commandPlist, type PlistDict } from '../../simulator/apple/protocol.js';
import type { CheckinWebhook } from './webhook.js';

export interface AppleServerTarget {
  /** The server's check-in and command URL (ServerURL). */
  mdmUrl: string;
  admin: AppleMdmAdmin;
  ca: RunCa;
  identityMode: 'signature' | { header: string };
  topic: string;
  webhook: CheckinWebhook;
  seed: number;
}

/** Lock and erase PINs, six digits from the seed (never logged). */
function pinFor(seed: number, n: number): string {
  return String(100000 + ((seed * 7919 + n * 104729) % 900000));
}

export class AppleServerFacet implements AppleFacet {
  readonly commandPolicy = 'raw' as const;
  private readonly agents = new Map<string, AppleDeviceAgent>();
  private next = 0;
  constructor(private readonly target: AppleServerTarget) {}

  async enroll(variant: AppleVariant, options: { unlockToken?: 'good' | 'bad' | 'missing' } = {}): Promise<AppleDevice> {
    const base = generateDevice(this.target.seed, 0x40000000 + this.next++, variant);
    const profile = { ...base, facts: { ...base.facts, devicePasscodeSet: true, online: true, ...(variant === 'ios-device' ? { unlockToken: options.unlockToken ?? 'good' } : {}) } };
    const agent = new AppleDeviceAgent(profile, {
      serverUrl: this.target.mdmUrl,
      topic: this.target.topic,
      identity: await this.target.ca.issue(profile.id),
      identityMode: this.target.identityMode,
    });
    await agent.enroll();
    this.agents.set(agent.enrollmentId, agent);
    // The server reports check-ins on its webhook, not necessarily in order: take each in turn.
    await this.until(() => this.target.webhook.tokenUpdateCount(agent.enrollmentId) >= 1);
    return { id: agent.enrollmentId, variant };
  }

  private agent(device: AppleDevice): AppleDeviceAgent {
    const agent = this.agents.get(device.id);
    if (!agent) throw new Error(`no simulated device ${device.id}`);
    return agent;
  }

  async send(device: AppleDevice, requestType: string, payload: PlistDict = {}): Promise<string> {
    const uuid = randomUUID().toUpperCase();
    await this.target.admin.enqueue(device.id, commandPlist(uuid, requestType, payload), uuid);
    return uuid;
  }

  /** A raw queue decides nothing: the admin layer builds ClearPasscode from the token the server reported. */
  async clearPasscode(device: AppleDevice): Promise<AdminAnswer> {
    const token = this.target.webhook.unlockToken(device.id);
    if (!token) return 'refused';
    await this.send(device, 'ClearPasscode', { UnlockToken: token });
    return 'queued';
  }

  async lock(device: AppleDevice): Promise<AdminAnswer> {
    await this.send(device, 'DeviceLock', device.variant === 'macos' ? { PIN: pinFor(this.target.seed, this.next++), Message: 'Locked by lockstep' } : { Message: 'Locked by lockstep' });
    return 'queued';
  }

  async erase(device: AppleDevice): Promise<AdminAnswer> {
    await this.send(device, 'EraseDevice', device.variant === 'macos' ? { PIN: pinFor(this.target.seed, this.next++) } : {});
    return 'queued';
  }

  async poll(device: AppleDevice): Promise<AppleReceived[]> {
    return (await this.agent(device).poll()).map(({ errorReason: _reason, ...r }) => r);
  }

  async tokenUpdate(device: AppleDevice, options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean }): Promise<void> {
    const before = this.target.webhook.tokenUpdateCount(device.id);
    await this.agent(device).tokenUpdate(options);
    await this.until(() => this.target.webhook.tokenUpdateCount(device.id) > before);
  }

  async checkOut(device: AppleDevice): Promise<void> {
    await this.agent(device).checkOut();
  }

  async deferNext(device: AppleDevice, count: number): Promise<void> {
    this.agent(device).deferNext(count);
  }

  async truth(device: AppleDevice): Promise<AppleTruth> {
    const t = this.agent(device).truth();
    return { devicePasscode: t.devicePasscode, lockScreen: t.lockScreen, checkedOut: t.checkedOut };
  }

  async untrustedCheckin(): Promise<{ status: number; enrolled: boolean }> {
    const stranger = await RunCa.create('a CA the server does not trust');
    const profile = generateDevice(this.target.seed, 0x7fff0000 + this.next++, 'ios-device');
    const agent = new AppleDeviceAgent(profile, { serverUrl: this.target.mdmUrl, topic: this.target.topic, identity: await stranger.issue(profile.id), identityMode: this.target.identityMode });
    let status = 200;
    try {
      await agent.enroll();
    } catch (error) {
      if (!(error instanceof AgentError) || error.status === undefined) throw error;
      status = error.status;
    }
    return { status, enrolled: this.target.webhook.sawCheckin(agent.enrollmentId) };
  }


  private async until(done: () => boolean, ms = 2000): Promise<void> {
    const end = Date.now() + ms;
    while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  }
}
