import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../../simulator/fleet-generator.js';
import { NanoMdmAdmin } from '../../simulator/apple/admin.js';
import { loadOrCreateCa } from '../../simulator/apple/identity.js';
import { commandPlist } from '../../simulator/apple/protocol.js';
import { NANOMDM_MISSING, startNanoMdm, type NanoMdm } from '../../simulator/apple/test-support/nanomdm.js';
import { devicesCommand } from '../devices-command.js';

const dir = mkdtempSync(join(tmpdir(), 'lockstep-devices-'));
const servers: NanoMdm[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(NANOMDM_MISSING !== null)(`lockstep devices against a real NanoMDM${NANOMDM_MISSING ? ` (skipped: ${NANOMDM_MISSING})` : ''}`, () => {
  it('enrolls 1,000 simulated iPhones and Macs, keeps them polling, and they answer a command enqueued meanwhile', async () => {
    const caDir = join(dir, 'ca');
    const { ca } = await loadOrCreateCa(caDir);
    const server = await startNanoMdm(ca.pem);
    servers.push(server);
    const lines: string[] = [];
    let enrolled!: () => void;
    const enrolledSeen = new Promise<void>((resolve) => (enrolled = resolve));
    const stdout = { write: (text: string) => { lines.push(...text.trimEnd().split('\n')); if (/^enrolled \d+ of/.test(text)) enrolled(); return true; } };
    const argv = ['--mdm-url', `${server.url}/mdm`, '--count', '1000', '--variants', 'ios-device,macos', '--ca', caDir, '--poll-interval', '1', '--duration', '120', '--plain', '--seed', '3'];
    const abort = new AbortController();
    const running = devicesCommand(argv, { stdout, signal: abort.signal });
    await enrolledSeen;
    // A command for the first device, through NanoMDM's own API, answered at its next poll.
    const first = generateFleet({ count: 1, seed: 3, mix: { 'ios-device': 1, macos: 1 } })[0]!;
    const uuid = randomUUID().toUpperCase();
    await new NanoMdmAdmin(server.url, server.apiKey).enqueue(first.id.toUpperCase(), commandPlist(uuid, 'DeviceInformation', { Queries: ['DeviceName', 'OSVersion'] }), uuid);
    const deadline = Date.now() + 30_000;
    while (!lines.some((l) => /DeviceInformation Acknowledged:1/.test(l)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      stdout.write('');
    }
    abort.abort();
    const status = await running;
    expect(lines.find((l) => /^enrolled \d+ of/.test(l))).toMatch(/^enrolled 1000 of 1000 in [\d.]+ s; polling every 1 s$/);
    expect(lines.at(-1)).toMatch(/^devices: enrolled 1000\/1000, \d+ polls, .*commands: DeviceInformation Acknowledged:1/);
    expect(status).toBe(0);
  }, 150_000);
});

describe('lockstep devices: bad input', () => {
  it.each([
    [[], /needs --mdm-url URL/],
    [['--mdm-url', 'nanomdm.local'], /--mdm-url needs an http\(s\) URL/],
    [['--mdm-url', 'http://127.0.0.1:1/mdm', '--variants', 'windows'], /'windows' is not an Apple variant/],
    [['--mdm-url', 'http://127.0.0.1:1/mdm', '--identity', 'cookie'], /--identity must be signature or header:NAME/],
    [['--mdm-url', 'http://127.0.0.1:1/mdm', '--count', '0'], /--count must be a whole number from 1 to 100000/],
  ])('%j is a one-line usage error', async (argv, message) => {
    await expect(devicesCommand(argv as string[], { stdout: { write: () => true } })).rejects.toThrow(message);
  });

  it('a server that does not answer is a usage error naming it, not a crash', async () => {
    const argv = ['--mdm-url', 'http://127.0.0.1:9/mdm', '--count', '3', '--ca', join(dir, 'ca-unreachable'), '--plain', '--duration', '1'];
    await expect(devicesCommand(argv, { stdout: { write: () => true } })).rejects.toThrow(/no device could enroll in http:\/\/127\.0\.0\.1:9\/mdm: cannot reach/);
  });
});
