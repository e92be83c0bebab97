import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT, NOT_BUILT_REASON, startChildServer, tokenFor, type ChildServer } from './child-server.js';

/** A small seeded generator: the load's choices repeat run to run (only the kill moment is real time). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AUDIT_NAME = { resetPasscode: 'resetPasscode', remoteLock: 'remoteLock', wipe: 'factoryReset' } as const;
type Action = keyof typeof AUDIT_NAME;

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!BUILT)('crash: kill -9 under load, restart, every acknowledged request is there', () => {
  it.skipIf(!BUILT)(BUILT ? 'finds every 2xx-acknowledged device, action and clock move after a restart' : NOT_BUILT_REASON, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-crash-'));
    dirs.push(dir);
    const args = ['--devices', '300', '--seed', '11', '--clock', 'manual', '--data-dir', dir];
    const first = await startChildServer(args);
    children.push(first);
    const [admin, sim] = await Promise.all([tokenFor(first.url, 'intune-administrator'), tokenFor(first.url, 'sim-controller')]);
    const list = (await (await fetch(`${first.url}/beta/deviceManagement/managedDevices?$top=300&$select=id`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { value: { id: string }[] };
    const ids = list.value.map((d) => d.id);
    expect(ids).toHaveLength(300);

    const enrolled: string[] = [];
    const acknowledged = new Map<string, number>(); // `${id} ${action}` -> 204s
    let clockAcknowledged = '';
    let acks = 0;
    let stop = false;
    const worker = async (seed: number) => {
      const random = mulberry32(seed);
      while (!stop) {
        const roll = random();
        try {
          if (roll < 0.15) {
            const r = await fetch(`${first.url}/sim/devices`, { method: 'POST', headers: { authorization: `Bearer ${sim}`, 'content-type': 'application/json' }, body: '{"variant":"ae-fully-managed"}' });
            if (r.status === 201) {
              enrolled.push(((await r.json()) as { id: string }).id);
              acks++;
            }
          } else if (roll < 0.8) {
            const pool = enrolled.length > 0 && random() < 0.5 ? enrolled : ids;
            const id = pool[Math.floor(random() * pool.length)]!;
            const action: Action = random() < 0.6 ? 'resetPasscode' : random() < 0.95 ? 'remoteLock' : 'wipe';
            const r = await fetch(`${first.url}/beta/deviceManagement/managedDevices/${id}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
            await r.arrayBuffer();
            if (r.status === 204) {
              acknowledged.set(`${id} ${action}`, (acknowledged.get(`${id} ${action}`) ?? 0) + 1);
              acks++;
            }
          } else {
            const r = await fetch(`${first.url}/sim/clock`, { method: 'POST', headers: { authorization: `Bearer ${sim}`, 'content-type': 'application/json' }, body: '{"advance":"PT7S"}' });
            if (r.status === 200) {
              clockAcknowledged = ((await r.json()) as { now: string }).now;
              acks++;
            }
          }
        } catch {
          return; // the server was killed under this request
        }
      }
    };
    const load = Promise.all([1, 2, 3, 4, 5, 6].map(worker));
    // Kill in the middle of the load, at a moment the process does not choose.
    while (acks < 400) await new Promise((resolve) => setTimeout(resolve, 5));
    first.process.kill('SIGKILL');
    stop = true;
    expect(await first.exited).toBe('SIGKILL');
    await load;

    const second = await startChildServer(args);
    children.push(second);
    expect(second.output()).toMatch(/journaled requests replayed/);
    const [admin2, sim2] = await Promise.all([tokenFor(second.url, 'intune-administrator'), tokenFor(second.url, 'sim-controller')]);
    for (const id of enrolled) {
      expect((await fetch(`${second.url}/sim/devices/${id}`, { headers: { authorization: `Bearer ${sim2}` } })).status, `enrolled device ${id}`).toBe(200);
    }
    const missing: string[] = [];
    const byDevice = new Map<string, Map<Action, number>>();
    for (const [key, count] of acknowledged) {
      const [id, action] = key.split(' ') as [string, Action];
      if (!byDevice.has(id)) byDevice.set(id, new Map());
      byDevice.get(id)!.set(action, count);
    }
    for (const [id, wanted] of byDevice) {
      const r = await fetch(`${second.url}/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id}'&$top=1000`, { headers: { authorization: `Bearer ${admin2}` } });
      const audits = ((await r.json()) as { value: { action: string; actionState: string }[] }).value;
      for (const [action, count] of wanted) {
        const found = audits.filter((a) => a.action === AUDIT_NAME[action] && a.actionState !== 'notSupported').length;
        if (found < count) missing.push(`${id} ${action}: ${count} acknowledged, ${found} after restart`);
      }
    }
    expect(missing).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(50);
    const clock = (await (await fetch(`${second.url}/sim/clock`, { headers: { authorization: `Bearer ${sim2}` } })).json()) as { now: string };
    if (clockAcknowledged) expect(Date.parse(clock.now)).toBeGreaterThanOrEqual(Date.parse(clockAcknowledged));
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
