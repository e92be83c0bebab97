/** Worker-thread entry of the embedded target: `new Worker(new URL('./worker.js', import.meta.url), { workerData: init })`. */
import { parentPort, workerData } from 'node:worker_threads';
import { hostEmbedded } from './host.js';
import type { ThreadInit } from './protocol.js';

if (!parentPort) throw new Error('the embedded target worker must run in a worker thread');
const port = parentPort;
hostEmbedded(port, workerData as ThreadInit, () => port.close()).catch((error: unknown) => {
  port.postMessage({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
});
