/**
 * Wrong servers for the reliability requirements: each is a plausible way to get them wrong, and
 * the reliability checks must catch it (a check that passes against a wrong server proves nothing).
 *
 * | wrong server                                   | requirement broken                                  | caught by       |
 * |------------------------------------------------|-----------------------------------------------------|-----------------|
 * | the app on the bare Node adapter (no guard)    | Graph-shaped answers for everything, no Host reflection | hostile battery |
 * | restarts from memory (state not on disk)       | every acknowledged request survives kill -9          | crash check     |
 * | keeps every audit (no retention)               | memory flat under a soak                              | soak slope      |
 * | enrolls a large fleet within the request       | no request waits behind another (fleet posts)         | stall check     |
 * | journals Apple messages without Mdm-Signature  | external Apple enrollments survive a restart          | restart check in simulator/apple/serve-apple.e2e.test.ts |
 * | makes a new Apple CA at each start             | external Apple enrollments survive a restart          | the same        |
 */
import { createAdaptorServer } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../../fleet-generator.js';
import { createApp } from '../app.js';
import { createAuthConfig } from '../auth.js';
import { ReferenceMdm } from '../reference-mdm.js';
import { BUILT, NOT_BUILT_REASON, tokenFor, type ChildServer } from './child-server.js';
import { crashCheck } from './crash-check.js';
import { runBattery } from './hostile-battery.js';
import { stallProblems } from './stall-check.js';
import { startTestServer } from '../test-support/server.js';
import { heapAfterGc, SoakLoad } from './soak-load.js';

const children: ChildServer[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('reliability checks catch wrong servers', () => {
  it('the hostile battery catches the app served on the bare Node adapter (bare 431, empty 400s, Host reflected)', async () => {
    const mdm = new ReferenceMdm({ seed: 7 });
    for (const p of generateFleet({ count: 20, seed: 7 })) mdm.enroll(p);
    const app = createApp({ mdm, auth: createAuthConfig({}) });
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const [admin, sim] = await Promise.all([tokenFor(url, 'helpdesk-operator'), tokenFor(url, 'sim-controller')]);
      const { problems } = await runBattery({ url, deviceId: mdm.all()[0]!.profile.id, admin, sim });
      expect(problems.some((p) => /headers over 16 KB: HTTP 431 not Graph-shaped/.test(p))).toBe(true);
      expect(problems.some((p) => /request target \*: HTTP 400 not Graph-shaped/.test(p))).toBe(true);
      expect(problems.some((p) => /reflected a foreign host/.test(p))).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it.skipIf(!BUILT)(BUILT ? 'the crash check catches a server that restarts from memory' : NOT_BUILT_REASON, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-mutant-'));
    dirs.push(dir);
    const args = ['--devices', '300', '--seed', '11', '--clock', 'manual'];
    // The wrong server: acknowledges, but its restart starts from an empty data directory.
    const result = await crashCheck([...args, '--data-dir', join(dir, 'a')], [...args, '--data-dir', join(dir, 'b')], children);
    expect(result.missing.length).toBeGreaterThan(0);
  });

  it('the stall check catches a server that enrolls a large fleet within the request', async () => {
    const s = await startTestServer({ syncFleetLimit: Number.MAX_SAFE_INTEGER });
    try {
      const problems = await stallProblems(s, 60_000);
      expect(problems.some((p) => /answered 201, not 202/.test(p))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('the soak slope catches a server that keeps every audit', async () => {
    const mdm = new ReferenceMdm({ seed: 3, maxAudits: 100_000_000 });
    for (const p of generateFleet({ count: 2000, seed: 3 })) mdm.enroll(p);
    const auth = createAuthConfig({});
    const load = new SoakLoad(createApp({ mdm, auth }), auth, mdm.all().map((d) => d.profile.id), 9);
    await load.run(4000);
    const before = heapAfterGc();
    await load.run(12_000);
    // The same bound per 6 000 requests that soak.test.ts asserts for the right server.
    expect((heapAfterGc() - before) / 2).toBeGreaterThan(256 * 1024);
  });
});
