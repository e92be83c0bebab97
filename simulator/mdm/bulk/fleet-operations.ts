import { randomUUID } from 'node:crypto';
import type { DeviceProfile } from '../../device-profile.js';
import { generateFleet, type FleetOptions } from '../../fleet-generator.js';
import type { ReferenceMdm } from '../reference-mdm.js';

/**
 * Large `POST /sim/fleet` requests as long-running operations, the way Graph answers bulk work:
 * `202 Accepted` with `Location: /sim/operations/{id}`, then the fleet is generated and enrolled
 * in slices with a turn of the event loop between them, so other requests are answered within a
 * slice's time (a few milliseconds) instead of waiting seconds behind a million devices.
 * All or nothing as before: every id is checked (phase 1) before the first device is enrolled
 * (phase 2); an id enrolled meanwhile by another request fails the operation at that slice.
 */
export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';

export interface FleetOperationView {
  id: string;
  status: OperationStatus;
  count: number;
  enrolled: number;
  total: number;
  createdDateTime: string;
  lastActionDateTime: string;
  error?: { code: string; message: string };
}

/** One enrolled slice, in the order slices were enrolled (what a journal needs to replay it). */
export interface FleetSlice {
  options: FleetOptions;
  startIndex: number;
  count: number;
}

/** Fleets up to this size are still enrolled inside the request (201, as before). */
export const SYNC_FLEET_LIMIT = 10_000;
export const SLICE_SIZE = 1_000;
const KEPT_OPERATIONS = 100;

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FleetOperations {
  private readonly ops = new Map<string, FleetOperationView>();
  private reservedDevices = 0;

  constructor(
    private readonly mdm: ReferenceMdm,
    private readonly onSlice?: (slice: FleetSlice) => void,
  ) {}

  /** Devices of fleets accepted but not yet enrolled (counted against --max-devices). */
  get reserved(): number {
    return this.reservedDevices;
  }

  get(id: string): FleetOperationView | undefined {
    return this.ops.get(id);
  }

  /** Enrolls a fleet slice (also what a journal replay calls). */
  static enrollSlice(mdm: ReferenceMdm, slice: FleetSlice): void {
    for (const profile of generateFleet({ ...slice.options, startIndex: slice.startIndex, count: slice.count }, mdm.shardTag)) mdm.enroll(profile);
  }

  start(options: FleetOptions): FleetOperationView {
    const now = new Date().toISOString();
    const op: FleetOperationView = { id: randomUUID(), status: 'notStarted', count: options.count, enrolled: 0, total: this.mdm.size, createdDateTime: now, lastActionDateTime: now };
    this.ops.set(op.id, op);
    if (this.ops.size > KEPT_OPERATIONS) {
      for (const [id, old] of this.ops) {
        if (this.ops.size <= KEPT_OPERATIONS) break;
        if (old.status === 'succeeded' || old.status === 'failed') this.ops.delete(id);
      }
    }
    this.reservedDevices += options.count;
    void this.run(op, options).finally(() => {
      this.reservedDevices -= options.count;
    });
    return op;
  }

  private async run(op: FleetOperationView, options: FleetOptions): Promise<void> {
    const epoch = this.mdm.epoch;
    const first = options.startIndex ?? 0;
    const fail = (code: string, message: string) => {
      op.status = 'failed';
      op.error = { code, message };
      op.lastActionDateTime = new Date().toISOString();
    };
    await yieldTurn();
    op.status = 'running';
    // Phase 1: every id is free.
    for (let done = 0; done < options.count; done += SLICE_SIZE) {
      const count = Math.min(SLICE_SIZE, options.count - done);
      const taken = generateFleet({ ...options, startIndex: first + done, count }, this.mdm.shardTag).find((p: DeviceProfile) => this.mdm.has(p.id));
      if (taken) return fail('Conflict', `Device ${taken.id} of this fleet (seed ${options.seed}) is already enrolled; nothing was enrolled`);
      await yieldTurn();
      if (this.mdm.epoch !== epoch) return fail('Conflict', 'The fleet was cleared (DELETE /sim/fleet) while this operation ran');
    }
    // Phase 2: enroll slice by slice, with room made for the whole fleet first.
    for (const _ of this.mdm.reserving(this.mdm.size + options.count)) await yieldTurn();
    await yieldTurn();
    for (let done = 0; done < options.count; done += SLICE_SIZE) {
      if (this.mdm.epoch !== epoch) return fail('Conflict', 'The fleet was cleared (DELETE /sim/fleet) while this operation ran');
      const slice: FleetSlice = { options, startIndex: first + done, count: Math.min(SLICE_SIZE, options.count - done) };
      const profiles = generateFleet({ ...options, startIndex: slice.startIndex, count: slice.count }, this.mdm.shardTag);
      const taken = profiles.find((p) => this.mdm.has(p.id));
      if (taken) return fail('Conflict', `Device ${taken.id} was enrolled by another request while this operation ran; ${op.enrolled} devices of it were enrolled`);
      for (const profile of profiles) this.mdm.enroll(profile);
      this.onSlice?.(slice);
      op.enrolled += slice.count;
      op.total = this.mdm.size;
      op.lastActionDateTime = new Date().toISOString();
      await yieldTurn();
    }
    op.status = 'succeeded';
    op.total = this.mdm.size;
  }
}
