/**
 * Messages between the front and its shards (worker threads, or the same thread in tests).
 * Requests travel as plain data: the front speaks HTTP, a shard runs the unchanged Hono app.
 */

/** What a shard is told when it starts. */
export interface ShardInit {
  /** This shard's number (0-based) and how many there are behind the front. */
  index: number;
  count: number;
  seed: number;
  /** Devices of the seeded fleet this shard enrolls at start: indexes start .. start+devices-1. */
  start: number;
  devices: number;
  /** HS256 key shared by every shard, so a token from any of them is good for all. */
  signingKey: string;
  clients?: ReadonlyArray<{ clientId: string; clientSecret: string; role: string }>;
  maxBodyBytes?: number;
  /** The simulated clock follows the wall clock (ticks come from the front). */
  realTime: boolean;
  /** Audit numbers are spread over this many independent fronts (`--shard k/N`): number * stride + offset. */
  auditStride: number;
  auditOffset: number;
}

export type ToShard =
  | {
      type: 'request';
      id: number;
      method: string;
      url: string;
      /** Lower-case names, as node:http gives them. */
      headers: Record<string, string>;
      body: Uint8Array | null;
      /** The audit number reserved for this request (device actions only). */
      audit?: number;
    }
  /** The client went away: stop streaming this response. */
  | { type: 'cancel'; id: number }
  /** Real-time mode: every shard's clock moves on by the same wall-clock interval. */
  | { type: 'tick'; ms: number }
  /** The fleet-wide enrollment order of devices `localStart..` of this shard (for per-device push latency). */
  | { type: 'globals'; localStart: number; globals: number[] }
  | { type: 'stop' };

/** Changes a reply tells the front about: devices enrolled and audits taken since the last reply, in order. */
export interface ShardMeta {
  epoch: number;
  size: number;
  auditCount: number;
  /** Local seq of the first new device, and the new devices' ids. */
  newDevicesFrom?: number;
  newDevices?: string[];
  newAuditsFrom?: number;
  newAudits?: string[];
}

export type FromShard =
  | { type: 'ready'; ids: string[]; meta: ShardMeta }
  | {
      type: 'response';
      id: number;
      status: number;
      headers: Array<[string, string]>;
      /** null with `streaming`: the body follows as chunks. */
      body: Uint8Array | null;
      streaming: boolean;
      meta: ShardMeta;
      /** The request's reserved audit number was used. */
      auditUsed: boolean;
    }
  | { type: 'chunk'; id: number; data: Uint8Array | null }
  | { type: 'failed'; error: string };
