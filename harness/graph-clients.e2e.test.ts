import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../simulator/mdm/serve.js';

const DRIVER = fileURLToPath(new URL('./test-support/graph-clients-driver.mjs', import.meta.url));
const LOOPBACK_ONLY = fileURLToPath(new URL('./test-support/loopback-only.mjs', import.meta.url));
const run = promisify(execFile);

let server: RunningServer;
let dir: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lockstep-graph-clients-'));
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    devices: 2500,
    seed: 5,
    clock: 'manual',
    tls: { kind: 'self-signed', certOut: join(dir, 'cert.pem') },
    // Generous for the walk-through, too tight for the burst of 60 at its end.
    throttle: { requests: 40, windowSeconds: 1 },
    log: (line) => lines.push(line),
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Microsoft's Graph clients, unmodified, against lockstep serve --tls", () => {
  it('sign in, page 2,500 devices, filter with startswith/or, get, reset, lock, read results, back off on 429: graph-client and both Kiota SDKs', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const devices = server.mdm.all().map((r) => r.profile);
    const resetId = devices.find((p) => p.facts.variant === 'ae-fully-managed')!.id;
    const iosIds = devices.filter((p) => p.facts.variant === 'ios-device' && p.facts.online).map((p) => p.id);
    const prefix = devices[7]!.deviceName.slice(0, 3);
    const filter = `startswith(deviceName,'${prefix}') or operatingSystem eq 'macOS'`;
    const expected = devices.filter((p) => p.deviceName.toLowerCase().startsWith(prefix.toLowerCase()) || p.operatingSystem === 'macOS').map((p) => p.id);
    const plan = { filter, resetId, lockId: iosIds[0], kiotaLockIds: [iosIds[1], iosIds[2]], burst: 60 };

    const { stdout } = await run(process.execPath, ['--import', LOOPBACK_ONLY, DRIVER, server.url, JSON.stringify(plan)], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: server.certFile! },
      timeout: 90_000,
      maxBuffer: 16 * 2 ** 20,
    });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);

    expect(seen.tokenLength).toBeGreaterThan(20);
    expect(seen.tokenExpiresInFuture).toBe(true);
    expect(seen.pagedIds).toEqual(devices.map((p) => p.id));
    expect(expected.length).toBeLessThan(999);
    expect(seen.filteredIds).toEqual(expected);
    expect(seen.filteredNextLink).toBeNull();
    expect(seen.gotDevice).toMatchObject({ id: resetId, complianceState: expect.stringMatching(/compliant/), azureADDeviceId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(seen.resetResults).toContainEqual({ actionName: 'resetPasscode', actionState: 'pending' });
    expect(seen.badFilter).toEqual({ statusCode: 400, code: 'BadRequest' });
    expect(seen.graphClientBurst).toEqual(Array(60).fill('ok'));
    expect(seen.kiotaBurst).toEqual(Array(60).fill('ok'));
    // Both bursts met the throttle: graph-client's on beta, Kiota's on v1.0.
    expect(lines.filter((l) => l.startsWith('GET /beta/deviceManagement/managedDevices 429 ')).length, 'graph-client throttled').toBeGreaterThan(0);
    expect(lines.filter((l) => l.startsWith('GET /v1.0/deviceManagement/managedDevices 429 ')).length, 'Kiota throttled').toBeGreaterThan(0);
    // Sign-in, discovery and every call stayed on 127.0.0.1 (the preload refuses anything else).
    expect(seen.offLoopback).toEqual([]);
    for (const [kiota, lockId] of [[seen.kiotaV1, iosIds[1]], [seen.kiotaBeta, iosIds[2]]] as const) {
      expect(kiota.listed).toEqual(expected.slice(0, 5));
      expect(kiota.device).toMatchObject({ id: lockId, operatingSystem: expect.stringMatching(/^iOS|iPadOS$/) });
      expect(kiota.lockError).toBeNull();
      expect(kiota.device.results).toContain('remoteLock:pending');
    }
    // The locks reached the MDM as pending remote locks.
    for (const id of [iosIds[0], iosIds[1], iosIds[2]]) expect(server.mdm.latestActions(server.mdm.get(id!)!).map((a) => `${a.actionName}:${a.actionState}`)).toContain('remoteLock:pending');
  }, 120_000);
});
