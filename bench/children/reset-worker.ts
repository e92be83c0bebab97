/**
 * One shard of the fleet-wide reset, in a worker thread: enrolls its slice of the seeded fleet,
 * waits for 'go', runs the reset and reports. The bench starts N of them at once to see how the
 * simulation's own work scales with worker threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateFleet } from '../../simulator/fleet-generator.js';
import { ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import { runFleetReset } from '../fleet-reset.js';

const { start, count, seed } = workerData as { start: number; count: number; seed: number };
const mdm = new ReferenceMdm({ seed });
for (const profile of generateFleet({ count, seed, startIndex: start })) mdm.enroll(profile);
parentPort!.once('message', () => {
  const result = runFleetReset(mdm);
  parentPort!.postMessage({ events: result.events, devices: result.devices, mismatches: result.mismatchCount, elapsedMs: result.elapsedMs });
});
parentPort!.postMessage('ready');
