/**
 * Fleet operations seen through the aggregating front. A large `POST /sim/fleet` is cut into one
 * part per shard; each shard answers its part within the request (201) or as its own operation
 * (202). The front answers one operation for the whole post, as one process would, and works
 * out its state on each poll from every shard's part: running until every part has finished,
 * then failed if any part failed (the first shard's error), else succeeded.
 */
import { randomUUID } from 'node:crypto';
import type { FleetOperationView, OperationStatus } from '../bulk/fleet-operations.js';

/** One shard's part: its own operation to poll, or what it answered within the request. */
export type ShardPart = { shard: number; operationId: string } | { shard: number; settled: { count: number; total: number } };

export interface FrontOperation {
  id: string;
  count: number;
  createdDateTime: string;
  parts: ShardPart[];
}

/** A part's state: a shard's operation view, or a settled part as a finished one. */
export type PartView = Pick<FleetOperationView, 'status' | 'enrolled' | 'total' | 'lastActionDateTime' | 'error'>;

const KEPT_OPERATIONS = 100;

export class FrontOperations {
  private readonly ops = new Map<string, FrontOperation>();

  /** Records an operation over these parts (the oldest beyond KEPT_OPERATIONS are forgotten, as a shard does). */
  start(count: number, parts: ShardPart[]): FrontOperation {
    const op: FrontOperation = { id: randomUUID(), count, createdDateTime: new Date().toISOString(), parts };
    this.ops.set(op.id, op);
    for (const old of this.ops.keys()) {
      if (this.ops.size <= KEPT_OPERATIONS) break;
      this.ops.delete(old);
    }
    return op;
  }

  get(id: string): FrontOperation | undefined {
    return this.ops.get(id);
  }
}

/** A settled part as the view of a finished operation. */
export function settledView(op: FrontOperation, settled: { count: number; total: number }): PartView {
  return { status: 'succeeded', enrolled: settled.count, total: settled.total, lastActionDateTime: op.createdDateTime };
}

/** The whole operation's view from its parts' views, in shard order. */
export function mergedView(op: FrontOperation, parts: readonly PartView[]): FleetOperationView {
  const finished = (s: OperationStatus) => s === 'succeeded' || s === 'failed';
  let status: OperationStatus;
  if (!parts.every((p) => finished(p.status))) status = parts.every((p) => p.status === 'notStarted') ? 'notStarted' : 'running';
  else status = parts.some((p) => p.status === 'failed') ? 'failed' : 'succeeded';
  const error = status === 'failed' ? parts.find((p) => p.status === 'failed')?.error : undefined;
  const last = parts.reduce((latest, p) => (p.lastActionDateTime > latest ? p.lastActionDateTime : latest), op.createdDateTime);
  return {
    id: op.id,
    status,
    count: op.count,
    enrolled: parts.reduce((sum, p) => sum + p.enrolled, 0),
    total: parts.reduce((sum, p) => sum + p.total, 0),
    createdDateTime: op.createdDateTime,
    lastActionDateTime: last,
    ...(error ? { error } : {}),
  };
}
