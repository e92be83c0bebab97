import { describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { startServer } from './serve.js';

describe('lockstep serve --devices over a million', () => {
  it('enrolls the whole seeded fleet in batches: device i is the fleet generator\'s device i', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', devices: 1_000_003, seed: 4, clock: 'manual' });
    try {
      expect(server.mdm.size).toBe(1_000_003);
      for (const i of [0, 249_999, 250_000, 1_000_002]) expect(server.mdm.deviceAt(i)!.profile.id).toBe(generateDevice(4, i).id);
    } finally {
      await server.close();
    }
  }, 120_000);
});
