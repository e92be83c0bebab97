/** Worker-thread entry of a shard: `new Worker(new URL('./worker.js', import.meta.url), { workerData: init })`. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ShardInit } from './protocol.js';
import { startShard } from './shard.js';

if (!parentPort) throw new Error('the shard worker must run in a worker thread');
const port = parentPort;
try {
  startShard(port, workerData as ShardInit, () => port.close());
} catch (error) {
  port.postMessage({ type: 'failed', error: error instanceof Error ? error.stack ?? error.message : String(error) });
}
