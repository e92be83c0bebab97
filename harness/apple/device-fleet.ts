/**
 * `lockstep devices`: a fleet of simulated Apple devices enrolled in an external Apple MDM server
 * and kept polling, with the figures its live view and plain lines show.
 */
import { generateFleet } from '../../simulator/fleet-generator.js';
import { keepAliveFetch } from '../../simulator/apple/keep-alive-fetch.js';
import { AgentError, AppleDeviceAgent, type AppleVariant } from '../../simulator/apple/agent.js';
import type { RunCa } from '../../simulator/apple/identity.js';

export interface DeviceFleetOptions {
  mdmUrl: string;
  count: number;
  variants: readonly AppleVariant[];
  seed: number;
  ca: RunCa;
  identityMode: 'signature' | { header: string };
  topic: string;
  /** Enrollments in flight at once. */
  concurrency: number;
  /** The fleet's first device (`--shard K/N`: K * count), so several processes make one fleet. */
  startIndex?: number;
}

export interface FleetFigures {
  planned: number;
  enrolled: number;
  failed: number;
  /** The first failure, as one line (never a secret). */
  firstFailure: string | null;
  checkIns: number;
  polls: number;
  /** Check-ins and command results per second over the last few seconds. */
  perSecond: number;
  /** Commands received, by RequestType, by the device's answer. */
  commands: Record<string, Record<string, number>>;
}

export class AppleDeviceFleet {
  readonly agents: AppleDeviceAgent[] = [];
  private enrolled = 0;
  private failed = 0;
  private firstFailure: string | null = null;
  private polls = 0;
  private readonly commands: Record<string, Record<string, number>> = {};
  private readonly samples: Array<[number, number]> = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** One keep-alive transport for the whole fleet (cheaper per request than the global fetch). */
  private readonly transport = keepAliveFetch();

  constructor(private readonly options: DeviceFleetOptions) {}

  /** Enrolls every device (Authenticate, TokenUpdate), `concurrency` at a time; failures are counted, not thrown. */
  async enroll(onProgress: () => void = () => {}): Promise<void> {
    const o = this.options;
    // Device i is the i-th of the seeded fleet restricted to the chosen variants: the same seed, the same devices.
    const mix = Object.fromEntries(o.variants.map((v) => [v, 1]));
    const profiles = generateFleet({ count: o.count, seed: o.seed, mix, ...(o.startIndex ? { startIndex: o.startIndex } : {}) });
    let next = 0;
    const worker = async () => {
      while (!this.stopped) {
        const i = next++;
        if (i >= profiles.length) return;
        const profile = profiles[i]!;
        try {
          const agent = new AppleDeviceAgent(profile, { serverUrl: o.mdmUrl, topic: o.topic, identity: await o.ca.issue(profile.id), identityMode: o.identityMode, fetch: this.transport });
          await agent.enroll();
          this.agents.push(agent);
          this.enrolled++;
        } catch (error) {
          this.failed++;
          this.firstFailure ??= error instanceof AgentError ? error.message : `${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`;
        }
        onProgress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, profiles.length) }, worker));
  }

  /** Every device polls once per `intervalMs`, spread evenly over the interval. */
  startPolling(intervalMs: number): void {
    let i = 0;
    const tickMs = 50;
    const perTick = () => Math.max(1, Math.ceil((this.agents.length * tickMs) / intervalMs));
    this.timer = setInterval(() => {
      for (let n = perTick(); n > 0 && this.agents.length > 0; n--) {
        const agent = this.agents[i++ % this.agents.length]!;
        void this.pollOne(agent);
      }
    }, tickMs);
    this.timer.unref?.();
  }

  /** The enrollment ids of the devices enrolled so far (what an admin API addresses). */
  enrollmentIds(): string[] {
    return this.agents.map((a) => a.enrollmentId);
  }

  async pollAll(): Promise<void> {
    await Promise.all(this.agents.map((a) => this.pollOne(a)));
  }

  private async pollOne(agent: AppleDeviceAgent): Promise<void> {
    try {
      const handled = await agent.poll();
      this.polls++;
      for (const c of handled) {
        const byAnswer = (this.commands[c.requestType] ??= {});
        byAnswer[c.status] = (byAnswer[c.status] ?? 0) + 1;
      }
    } catch (error) {
      this.firstFailure ??= error instanceof AgentError ? error.message : String(error);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.transport.close();
  }

  figures(): FleetFigures {
    const requests = this.agents.reduce((n, a) => n + a.requests, 0);
    const now = Date.now();
    this.samples.push([now, requests]);
    while (this.samples.length > 2 && now - this.samples[0]![0] > 5000) this.samples.shift();
    const [t0, r0] = this.samples[0]!;
    const perSecond = now > t0 ? ((requests - r0) * 1000) / (now - t0) : 0;
    return {
      planned: this.options.count,
      enrolled: this.enrolled,
      failed: this.failed,
      firstFailure: this.firstFailure,
      checkIns: requests,
      polls: this.polls,
      perSecond,
      commands: structuredClone(this.commands),
    };
  }
}

/** One plain line of figures. */
export function figuresLine(f: FleetFigures): string {
  const commands = Object.entries(f.commands)
    .map(([type, byAnswer]) => `${type} ${Object.entries(byAnswer).map(([answer, n]) => `${answer}:${n}`).join('/')}`)
    .join(', ');
  return `enrolled ${f.enrolled}/${f.planned}${f.failed ? ` (${f.failed} failed)` : ''}, ${f.polls} polls, ${Math.round(f.perSecond)} requests/s${commands ? `, commands: ${commands}` : ''}`;
}
