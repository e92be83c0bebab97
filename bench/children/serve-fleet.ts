/**
 * `lockstep serve` for the bench: a generated fleet, the manual clock, a free loopback port.
 * argv: devices seed workers (0: one process). Reports its URL and how long the fleet took to be ready.
 */
import { failChild, onStop } from '../lib/children.js';
import { startServer } from '../../simulator/mdm/serve.js';

try {
  const [devices = '0', seed = '1', workers = '0'] = process.argv.slice(2);
  const started = performance.now();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    devices: Number(devices),
    seed: Number(seed),
    clock: 'manual',
    ...(Number(workers) > 0 ? { workers: Number(workers) } : {}),
  });
  const readyMs = performance.now() - started;
  process.send!({ type: 'ready', url: server.url, readyMs, rss: process.memoryUsage().rss });
  onStop(() => server.close());
} catch (error) {
  failChild(error);
}
