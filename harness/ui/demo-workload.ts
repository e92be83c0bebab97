import { mulberry32 } from '../../contract/mulberry32.js';
import { generateFleet } from '../../simulator/fleet-generator.js';
import type { ChangeEvent, ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import type { ActionName } from '../../contract/actions.js';

/** The shared mulberry32, with seed 0 moved off the all-zero state. */
export function prng(seed: number): () => number {
  return mulberry32(seed >>> 0 || 0x9e3779b9);
}

/** Enrolls a generated fleet (same seed, same fleet) into the reference MDM. */
export function enrollDemoFleet(mdm: ReferenceMdm, count: number, seed: number): void {
  for (const profile of generateFleet({ count, seed })) mdm.enroll(profile);
}

type Op = 'resetPasscode' | 'remoteLock' | 'wipe' | 'checkIn' | 'enterPasscode' | 'useTemporary' | 'goOffline' | 'goOnline' | 'reboot' | 'wake';

/** Relative weights of what happens; wipes are rare so the fleet does not empty itself. */
const WEIGHTS: ReadonlyArray<readonly [Op, number]> = [
  ['resetPasscode', 14],
  ['remoteLock', 12],
  ['checkIn', 14],
  ['enterPasscode', 18],
  ['useTemporary', 10],
  ['goOffline', 5],
  ['goOnline', 6],
  ['reboot', 3],
  ['wake', 6],
  ['wipe', 0.15],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((s, [, w]) => s + w, 0);
const INITIATORS = ['helpdesk-operator', 'intune-administrator', 'global-administrator'];

export interface WorkloadOptions {
  seed: number;
  /** Change events per second to aim for (300). */
  eventsPerSecond?: number;
  /** Real milliseconds between batches (50). */
  tickMs?: number;
  /** Simulated milliseconds the clock moves per batch (1 500): pushed commands land within a few batches. */
  simMsPerTick?: number;
}

/**
 * A seeded stream of fleet activity on an embedded ReferenceMdm: admins reset passcodes and
 * lock devices, devices check in, users type their passcode or the temporary one they were
 * given (then set their own), devices go offline and come back, and simulated time moves.
 * Each batch runs operations until it has caused its share of change events.
 */
export class DemoWorkload {
  private readonly random: () => number;
  private readonly perTick: number;
  private readonly tickMs: number;
  private readonly simMsPerTick: number;
  private timer: NodeJS.Timeout | null = null;
  private emitted = 0;
  private readonly counter = (_event: ChangeEvent) => {
    this.emitted++;
  };
  /** Devices that were sent a reset (candidates for a user typing the temporary passcode). */
  private readonly resetDevices: string[] = [];
  private readonly offline: string[] = [];
  operations = 0;

  constructor(
    private readonly mdm: ReferenceMdm,
    options: WorkloadOptions,
  ) {
    this.random = prng(options.seed ^ 0xdead5eed);
    this.tickMs = options.tickMs ?? 50;
    this.perTick = Math.max(1, Math.round(((options.eventsPerSecond ?? 300) * this.tickMs) / 1000));
    this.simMsPerTick = options.simMsPerTick ?? 1500;
  }

  start(): void {
    if (this.timer) return;
    this.mdm.changes.on('change', this.counter);
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.mdm.changes.off('change', this.counter);
  }

  /** One batch: advance the clock, then operate until this batch's share of events happened. */
  tick(): void {
    const start = this.emitted;
    this.mdm.clock.advance(this.simMsPerTick);
    for (let guard = 0; this.emitted - start < this.perTick && guard < this.perTick * 4; guard++) this.step();
  }

  step(): void {
    const size = this.mdm.size;
    if (size === 0) return;
    this.operations++;
    const op = this.pick();
    switch (op) {
      case 'resetPasscode':
      case 'remoteLock':
      case 'wipe': {
        const id = this.device();
        this.mdm.requestAction(id, op as ActionName, INITIATORS[Math.floor(this.random() * INITIATORS.length)]!);
        if (op === 'resetPasscode') remember(this.resetDevices, id, 256);
        return;
      }
      case 'useTemporary': {
        const id = this.resetDevices.length > 0 ? this.resetDevices.splice(Math.floor(this.random() * this.resetDevices.length), 1)[0]! : this.device();
        const record = this.mdm.get(id);
        if (!record) return;
        // The user types the temporary passcode the admin read them (never leaves this function), then sets their own.
        const temporary = this.mdm.latestActions(record).find((a) => a.actionName === 'resetPasscode' && a.actionState === 'done')?.passcode;
        if (!temporary) return;
        const outcome = this.mdm.deviceEvent(id, { type: 'enterPasscode', passcode: temporary });
        if (outcome.kind === 'ok') this.mdm.deviceEvent(id, { type: 'setPasscode', passcode: this.digits(6) });
        return;
      }
      case 'goOffline': {
        const id = this.device();
        this.mdm.deviceEvent(id, { type: 'goOffline' });
        remember(this.offline, id, 512);
        return;
      }
      case 'goOnline': {
        const id = this.offline.length > 0 ? this.offline.splice(Math.floor(this.random() * this.offline.length), 1)[0]! : this.device();
        this.mdm.deviceEvent(id, { type: 'goOnline' });
        return;
      }
      default:
        this.mdm.deviceEvent(this.device(), { type: op });
    }
  }

  private pick(): Op {
    let r = this.random() * TOTAL_WEIGHT;
    for (const [op, w] of WEIGHTS) {
      r -= w;
      if (r < 0) return op;
    }
    return 'checkIn';
  }

  private device(): string {
    return this.mdm.deviceAt(Math.floor(this.random() * this.mdm.size))!.profile.id;
  }

  private digits(n: number): string {
    let s = '';
    while (s.length < n) s += String(Math.floor(this.random() * 10));
    return s;
  }
}

function remember(list: string[], id: string, cap: number): void {
  list.push(id);
  if (list.length > cap) list.splice(0, list.length - cap);
}
