/**
 * `lockstep serve` for the bench: a generated fleet, the manual clock, a free loopback port.
 * argv: devices seed [K/N signing-key] (a shard of N behind HAProxy). Reports its URL and how long the fleet took to be ready.
 */
import { failChild, onStop } from '../lib/children.js';
import { startServer } from '../../simulator/mdm/serve.js';
import { parseShardSpec } from '../../simulator/mdm/sharding/slices.js';
import { runFleetReset } from '../fleet-reset.js';

try {
  const [devices = '0', seed = '1', shard, signingKey] = process.argv.slice(2);
  const started = performance.now();
  const spec = shard ? parseShardSpec(shard) : null;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    devices: Number(devices),
    seed: Number(seed),
    clock: 'manual',
    // Scale figures take Apple commands in-process (the wire costs about 0.6 ms a command; bench --only apple measures it).
    appleCommands: 'direct',
    ...(spec ? { shard: spec } : {}),
    ...(signingKey ? { signingKey } : {}),
  });
  const readyMs = performance.now() - started;
  process.send!({ type: 'ready', url: server.url, readyMs, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
  // The 10M run: the fleet-wide reset of this shard's whole population, in-process (see ten-million.ts).
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'fleetReset') return;
    const { mismatches, ...result } = runFleetReset(server.mdm);
    process.send!({ type: 'fleetReset', result: { ...result, mismatches: mismatches.slice(0, 3) }, rss: process.memoryUsage().rss });
  });
  onStop(() => server.close());
} catch (error) {
  failChild(error);
}
