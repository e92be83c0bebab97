import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { defaultFacts, type DeviceFacts } from '../../device-facts.js';
import { enrolledSnapshot, groundTruth, stepDevice } from '../../device-runtime.js';
import type { DeviceMachineEvent } from '../../device-events.js';
import { generateFleet } from '../../fleet-generator.js';
import { VARIANT_KEYS } from '../../../contract/variants.js';
import { startServer, type RunningServer } from '../serve.js';
import { shardOfDevice, shardTagOf } from './device-shard.js';
import { startFront, type RunningFront } from './front-server.js';
import { parseShardSpec, sliceOf } from './slices.js';
import { persistDevice, restoreDevice } from './snapshots.js';

interface Answer {
  status: number;
  body: unknown;
}

/** A small client that records every answer, normalised so that two servers can be compared. */
class Recorder {
  readonly log: Array<[string, Answer]> = [];
  /** Ids that differ between the servers by design (devices enrolled one by one), logged by name. */
  readonly aliases = new Map<string, string>();
  private tokens = new Map<string, string>();
  constructor(readonly server: { url: string }) {}

  private async token(role: string): Promise<string> {
    let t = this.tokens.get(role);
    if (!t) {
      const r = await fetch(`${this.server.url}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: role, client_secret: role }).toString(),
      });
      t = ((await r.json()) as { access_token: string }).access_token;
      this.tokens.set(role, t);
    }
    return t;
  }

  async call(role: string | null, method: string, path: string, json?: unknown, pick?: readonly string[]): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (role) headers.authorization = `Bearer ${await this.token(role)}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const url = path.startsWith('http') ? path : this.server.url + path;
    const r = await fetch(url, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    const text = await r.text();
    const answer = { status: r.status, body: text ? (JSON.parse(text) as unknown) : null };
    const logged = pick && answer.body && typeof answer.body === 'object' ? { status: answer.status, body: Object.fromEntries(pick.map((k) => [k, (answer.body as Record<string, unknown>)[k]])) } : answer;
    let key = `${method} ${path.replace(this.server.url, '')}`.replace(/\$skiptoken=[A-Za-z0-9_-]+/, '$skiptoken=…');
    let normalised = normalise(logged, this.server.url);
    for (const [id, name] of this.aliases) {
      if (!key.includes(id)) continue;
      key = key.replaceAll(id, name);
      // Its push latency follows its shard's own enrollment order.
      normalised = JSON.parse(JSON.stringify(normalised).replaceAll(untag(id), name).replace(/"lastUpdatedDateTime":"[^"]+"/g, '"lastUpdatedDateTime":"…"')) as Answer;
    }
    this.log.push([untag(key), normalised]);
    return answer;
  }

  /** Every page of a list as one log entry, in no particular order and without entity ids (audit ids and order are per shard). */
  async unordered(role: string, path: string): Promise<void> {
    const items: Array<Record<string, unknown>> = [];
    let next: string | undefined = path;
    while (next) {
      const url: string = next.startsWith('http') ? next : this.server.url + next;
      const page = (await (await fetch(url, { headers: { authorization: `Bearer ${await this.token(role)}` } })).json()) as { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
      items.push(...page.value);
      next = page['@odata.nextLink'];
    }
    const normalised = items.map((item) => JSON.stringify(normalise({ status: 200, body: { ...item, id: undefined } }, this.server.url).body)).sort();
    this.log.push([untag(`GET ${path} (all pages, unordered)`), { status: 200, body: normalised }]);
  }

  /** Every page of a list, following nextLinks. */
  async all(role: string, path: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let next: string | undefined = path;
    while (next) {
      const page = (await this.call(role, 'GET', next)).body as { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
      items.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return items;
  }
}

/** Device ids without the four digits that carry the shard (random digits in one process). */
const untag = (text: string) => text.replace(/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-)[0-9a-fA-F]{4}([0-9a-fA-F]{8})/g, '$1····$2');

/**
 * Drops what differs between any two runs (request ids, wall-clock dates, ports, paging tokens),
 * and what differs between one process and shards by design: the shard tag in device ids,
 * temporary passcodes and PINs (they derive from the per-shard audit numbers).
 */
function normalise(answer: Answer, origin: string): Answer {
  const text = untag(JSON.stringify(answer.body ?? null).replaceAll(origin, 'ORIGIN'))
    .replace(/"(passcode|unlockPin)":"[^"]+"/g, '"$1":"present"')
    .replace(/\$skiptoken=[A-Za-z0-9_-]+/g, '$skiptoken=…')
    .replace(/"date":"[^"]+"/g, '"date":"…"')
    .replace(/"request-id":"[^"]+"/g, '"request-id":"…"');
  // An audit's id derives from its per-shard number.
  const auditIdless = (_: string, v: unknown) => (v && typeof v === 'object' && 'initiatedByUserPrincipalName' in v ? { ...v, id: '…' } : v);
  return { status: answer.status, body: JSON.parse(text, auditIdless) as unknown };
}

const SEED = 11;
const DEVICES = 240;

/** The same script against any server: paging, actions, check-ins, user events, audits, enrollment, errors, clearing. */
async function script(c: Recorder): Promise<void> {
  const admin = 'intune-administrator';
  const devices = await c.all(admin, '/v1.0/deviceManagement/managedDevices?$top=37&$select=id,deviceName,operatingSystem&$count=true');
  await c.all(admin, "/beta/deviceManagement/managedDevices?$top=9&$filter=operatingSystem eq 'Android'&$select=deviceName");
  await c.all(admin, "/v1.0/deviceManagement/managedDevices?$top=1000&$filter=operatingSystem eq 'iOS' and managedDeviceOwnerType eq 'company'");
  const ids = devices.map((d) => String(d.id));
  const chosen = ids.filter((_, i) => i % 4 === 0);
  for (const id of chosen) await c.call('helpdesk-operator', 'POST', `/v1.0/deviceManagement/managedDevices/${id}/resetPasscode`);
  for (const id of chosen.slice(0, 12)) await c.call('helpdesk-operator', 'POST', `/v1.0/deviceManagement/managedDevices/${id}/resetPasscode`);
  for (const id of ids.filter((_, i) => i % 7 === 1)) await c.call('endpoint-security-manager', 'POST', `/v1.0/deviceManagement/managedDevices/${id.toUpperCase()}/remoteLock`);
  await c.call('read-only-operator', 'POST', `/v1.0/deviceManagement/managedDevices/${ids[3]}/wipe`);
  await c.call('global-administrator', 'POST', `/v1.0/deviceManagement/managedDevices/${ids[5]}/wipe`, { keepUserData: true });
  await c.call('global-administrator', 'POST', `/v1.0/deviceManagement/managedDevices/00000000-0000-4000-8000-000000000000/wipe`);
  await c.call('sim-controller', 'POST', '/sim/clock', { advance: 'PT15M' });
  for (const id of chosen) {
    const device = (await c.call(admin, 'GET', `/v1.0/deviceManagement/managedDevices/${id}?$select=id,lastSyncDateTime,deviceActionResults`)).body as {
      deviceActionResults: Array<{ actionName: string; actionState: string; passcode?: string | null }>;
    };
    const reset = device.deviceActionResults.find((a) => a.actionName === 'resetPasscode');
    if (reset?.actionState === 'done' && reset.passcode) {
      const os = devices.find((d) => d.id === id)!.operatingSystem;
      await c.call('sim-controller', 'POST', `/sim/devices/${id}/events`, { type: 'enterPasscode', passcode: reset.passcode });
      if (os === 'Android') await c.call('sim-controller', 'POST', `/sim/devices/${id}/events`, { type: 'enterPasscode', passcode: reset.passcode, scope: 'workProfile' });
    }
    await c.call('sim-controller', 'GET', `/sim/devices/${id}`);
  }
  await c.call('sim-controller', 'POST', `/sim/devices/${ids[1]}/events`, { type: 'goOffline' });
  await c.call('sim-controller', 'POST', `/sim/devices/${ids[1]}/events`, { type: 'reboot' });
  await c.call(admin, 'GET', '/beta/deviceManagement/remoteActionAudits?$top=1&$count=true&$select=action', undefined, ['@odata.count']);
  await c.unordered(admin, '/beta/deviceManagement/remoteActionAudits?$top=11');
  await c.unordered(admin, '/beta/deviceManagement/remoteActionAudits?$top=5&$select=action,actionState,managedDeviceId');
  await c.all(admin, `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${chosen[1]}'&$top=1`);
  await c.call('sim-controller', 'GET', '/sim/stats');
  await c.call('sim-controller', 'POST', '/sim/fleet', { count: 23, seed: 77, startIndex: 5, returnIds: true });
  // The same fleet again: every shard refuses its part, so nothing is enrolled (a partly overlapping fleet is not caught across shards: see the README).
  await c.call('sim-controller', 'POST', '/sim/fleet', { count: 23, seed: 77, startIndex: 5 });
  await c.call('sim-controller', 'POST', '/sim/fleet', { count: 3, seed: 77, startIndex: 40 });
  await c.call('sim-controller', 'POST', '/sim/fleet', { count: 0, seed: 77 });
  // Devices enrolled one by one come from each shard's own series: compare what does not depend on it.
  await c.call('sim-controller', 'POST', '/sim/devices', { variant: 'macos', online: false }, ['operatingSystem', 'sim']);
  const late = String(((await c.call('sim-controller', 'POST', '/sim/devices', { variant: 'ae-work-profile-personal' }, ['sim'])).body as { id: string }).id);
  c.aliases.set(late, 'LATE');
  await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$top=1&$count=true&$select=id', undefined, ['@odata.count']);
  await c.call('helpdesk-operator', 'POST', `/v1.0/deviceManagement/managedDevices/${late}/resetPasscode`);
  await c.call('sim-controller', 'POST', '/sim/clock', { advance: 'PT1M' });
  await c.call(admin, 'GET', `/v1.0/deviceManagement/managedDevices/${late}?$select=operatingSystem,deviceActionResults`, undefined, ['operatingSystem', 'deviceActionResults']);
  await c.call('sim-controller', 'GET', '/sim/stats');
  // Refusals answer the same.
  await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$skiptoken=bm9wZQ');
  await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$select=id,,name');
  await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$top=0');
  await c.call(null, 'GET', '/v1.0/deviceManagement/managedDevices');
  await c.call('sim-controller', 'GET', '/v1.0/deviceManagement/managedDevices');
  await c.call('sim-controller', 'POST', '/sim/clock', { advance: 'yesterday' });
  await c.call(admin, 'DELETE', '/v1.0/deviceManagement/managedDevices');
  const stale = (await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$top=2')).body as { '@odata.nextLink': string };
  await c.call('sim-controller', 'DELETE', '/sim/fleet');
  await c.call(admin, 'GET', stale['@odata.nextLink']);
  await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$count=true');
  await c.unordered(admin, '/beta/deviceManagement/remoteActionAudits');
  await c.call('sim-controller', 'POST', '/sim/fleet', { count: 4, seed: 5 });
  await c.call(admin, 'GET', '/v1.0/deviceManagement/managedDevices?$select=id,deviceName');
  await c.call('sim-controller', 'GET', '/sim/stats');
}

describe('lockstep front over three lockstep serve --shard K/3 processes', () => {
  let single: RunningServer;
  let shards: RunningServer[];
  let sharded: RunningFront;
  beforeAll(async () => {
    const base = { port: 0, host: '127.0.0.1', devices: DEVICES, seed: SEED, clock: 'manual' as const, signingKey: 'one-key-shared-by-every-shard' };
    [single, ...shards] = await Promise.all([startServer(base), ...[0, 1, 2].map((index) => startServer({ ...base, shard: { index, count: 3 } }))]);
    sharded = await startFront({ shards: shards.map((s) => s.url), port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await Promise.all([single?.close(), sharded?.close(), ...(shards ?? []).map((s) => s.close())]);
  });

  it('holds the same fleet, each device on the shard its id names', () => {
    expect(shards.reduce((n, s) => n + s.mdm.size, 0)).toBe(DEVICES);
    shards.forEach((s, k) => {
      for (const r of s.mdm.all()) expect(shardOfDevice(r.profile.id, 3)).toBe(k);
    });
  });

  it('answers a scripted session as one process does (lists, pages, $count, actions, truth, audits, stats, enrollment, errors)', async () => {
    const a = new Recorder(single);
    const b = new Recorder(sharded);
    await script(a);
    await script(b);
    expect(b.log.length).toBe(a.log.length);
    for (let i = 0; i < a.log.length; i++) expect(b.log[i], a.log[i]![0]).toEqual(a.log[i]);
    // The script did reach the interesting answers.
    const statuses = new Set(a.log.map(([, answer]) => answer.status));
    for (const s of [200, 201, 204, 400, 401, 403, 404, 409]) expect(statuses).toContain(s);
  });

  it('merges the shards\' event streams: one hello with every device, then the changes one process reports', async () => {
    const changes = async (server: { url: string }) => {
      const r = new Recorder(server);
      await r.call('sim-controller', 'DELETE', '/sim/fleet');
      await r.call('sim-controller', 'POST', '/sim/fleet', { count: 30, seed: 3 });
      const token = await (r as unknown as { token(role: string): Promise<string> }).token('sim-controller');
      const controller = new AbortController();
      const response = await fetch(`${server.url}/sim/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = response.body!.getReader();
      let text = '';
      /** Reads until `done()`, then until the stream has been quiet for a moment (events come asynchronously). */
      let pending: ReturnType<typeof reader.read> | null = null;
      const until = async (done: () => boolean) => {
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline) {
          const quiet = done() ? 300 : deadline - Date.now();
          pending ??= reader.read();
          const next = await Promise.race([pending, new Promise<null>((resolve) => setTimeout(() => resolve(null), quiet))]);
          if (!next) {
            if (done()) break;
            continue;
          }
          pending = null;
          if (next.done) break;
          text += new TextDecoder().decode(next.value);
        }
      };
      await until(() => /event: hello\n/.test(text));
      const list = (await r.call('intune-administrator', 'GET', '/v1.0/deviceManagement/managedDevices?$select=id')).body as { value: Array<{ id: string }> };
      for (const { id } of list.value.slice(0, 12)) await r.call('helpdesk-operator', 'POST', `/v1.0/deviceManagement/managedDevices/${id}/resetPasscode`);
      await r.call('sim-controller', 'POST', '/sim/clock', { advance: 'PT1M' });
      await r.call('sim-controller', 'POST', '/sim/fleet', { count: 2, seed: 4 });
      await until(() => /"actionState":"(done|failed)"/.test(text));
      controller.abort();
      const hello = JSON.parse(/event: hello\ndata: (.*)\n/.exec(text)![1]!) as Record<string, unknown>;
      const events = [...text.matchAll(/event: (device|action)\ndata: (.*)\n/g)].map((m) => `${m[1]} ${m[2]}`).sort();
      return { hello, events, hellos: text.match(/event: hello/g)!.length };
    };
    const a = await changes(single);
    const b = await changes(sharded);
    // Push latencies of devices enrolled after the start follow each shard's own order: drop times.
    const untimed = (events: string[]) => events.map((e) => e.replace(/"at":"[^"]+",?/, '').replace(/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{4}/g, '$1····')).sort();
    a.events = untimed(a.events);
    b.events = untimed(b.events);
    expect(a.hello).toMatchObject({ mode: 'manual', devices: 30 });
    expect(b.hello).toEqual(a.hello);
    expect(b.hellos).toBe(1);
    expect(a.events.length).toBeGreaterThan(20);
    expect(b.events).toEqual(a.events);
  });
});

describe('lockstep serve --shard K/N', () => {
  it('serves slice K of the seeded fleet; the slices add up to the fleet and audit ids never collide', async () => {
    const base = { port: 0, host: '127.0.0.1', devices: 50, seed: SEED, clock: 'manual' as const };
    const servers = await Promise.all([0, 1, 2].map((index) => startServer({ ...base, shard: { index, count: 3 } })));
    try {
      const ids = servers.flatMap((s) => s.mdm.all().map((r) => r.profile.id));
      // The seeded fleet, in order, each id carrying its shard in place of four random digits.
      const untagged = (id: string) => id.slice(0, 24) + id.slice(28);
      expect(ids.map(untagged)).toEqual(generateFleet({ count: 50, seed: SEED }).map((p) => untagged(p.id)));
      servers.forEach((s, k) => s.mdm.all().forEach((r) => expect(shardTagOf(r.profile.id)).toBe(k)));
      const audits = servers.flatMap((s) => {
        for (const r of s.mdm.all().slice(0, 5)) s.mdm.requestAction(r.profile.id, 'remoteLock', 'test');
        return s.mdm.allAudits().map((a) => a.auditId);
      });
      expect(new Set(audits).size).toBe(15);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('accepts a token from any shard that shares the key file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockstep-key-'));
    const keyFile = join(dir, 'key');
    await writeFile(keyFile, 'a-shared-signing-key-for-every-shard\n');
    const base = { port: 0, host: '127.0.0.1', devices: 10, seed: SEED, clock: 'manual' as const, signingKeyFile: keyFile };
    const [a, b] = await Promise.all([startServer({ ...base, shard: { index: 0, count: 2 } }), startServer({ ...base, shard: { index: 1, count: 2 } })]);
    try {
      expect(a.auth.signingKey).toBe('a-shared-signing-key-for-every-shard');
      const r = await fetch(`${a.url}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=helpdesk-operator&client_secret=helpdesk-operator',
      });
      const { access_token } = (await r.json()) as { access_token: string };
      const list = await fetch(`${b.url}/v1.0/deviceManagement/managedDevices?$select=id`, { headers: { authorization: `Bearer ${access_token}` } });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { value: unknown[] }).value).toHaveLength(5);
      await expect(startServer({ ...base, signingKeyFile: join(dir, 'missing') })).rejects.toThrow(/cannot read the signing key file/);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('splits the fleet into contiguous slices', () => {
    expect(parseShardSpec('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShardSpec('2/2')).toBeNull();
    const slices = [0, 1, 2, 3].map((k) => sliceOf(k, 4, 10, 100));
    expect(slices).toEqual([
      { start: 100, count: 2 },
      { start: 102, count: 3 },
      { start: 105, count: 2 },
      { start: 107, count: 3 },
    ]);
  });
});

describe('persisted device snapshots', () => {
  const EVENTS: DeviceMachineEvent[] = [
    { type: 'CHECK_IN' },
    { type: 'RESET_PASSCODE', passcode: '12345678' },
    { type: 'RESET_PASSCODE', passcode: 'x' },
    { type: 'ENTER_PASSCODE', passcode: '12345678' },
    { type: 'ENTER_PASSCODE' },
    { type: 'ENTER_PASSCODE', passcode: '000000' },
    { type: 'SET_PASSCODE', passcode: '2468' },
    { type: 'ENTER_WORK_CHALLENGE', passcode: '12345678' },
    { type: 'ENTER_WORK_CHALLENGE' },
    { type: 'SET_WORK_CHALLENGE', passcode: '1357' },
    { type: 'CLEAR_PASSCODE', unlockToken: 'ut-a', keychainUnlockToken: 'ut-a' },
    { type: 'CLEAR_PASSCODE', unlockToken: null, keychainUnlockToken: 'ut-a' },
    { type: 'LOCK' },
    { type: 'LOCK', pin: '123456' },
    { type: 'ENTER_PASSCODE', passcode: '123456' },
    { type: 'REBOOT' },
    { type: 'WAKE' },
    { type: 'GO_OFFLINE' },
    { type: 'GO_ONLINE' },
    { type: 'WIPE' },
  ];

  it('restore a device exactly after random events: same truth, context, and the same answers afterwards', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VARIANT_KEYS),
        fc.record({ online: fc.boolean(), devicePasscodeSet: fc.boolean(), workProfilePasswordSet: fc.boolean(), passcodePolicy: fc.boolean() }),
        fc.array(fc.nat(EVENTS.length - 1), { maxLength: 12 }),
        fc.array(fc.nat(EVENTS.length - 1), { minLength: 1, maxLength: 4 }),
        (variant, facts, before, after) => {
          let snapshot: AnyMachineSnapshot = enrolledSnapshot({ ...defaultFacts(variant), ...facts, variant } as DeviceFacts);
          for (const i of before) snapshot = stepDevice(variant, snapshot, EVENTS[i]!).snapshot;
          const persisted = persistDevice(variant, snapshot);
          const restored = restoreDevice(JSON.parse(JSON.stringify(persisted)));
          expect(restored.value).toEqual(snapshot.value);
          expect(restored.context).toEqual(snapshot.context);
          expect(restored.status).toBe(snapshot.status);
          expect(groundTruth(variant, restored, true)).toEqual(groundTruth(variant, snapshot, true));
          let a = snapshot;
          let b = restored;
          for (const i of after) {
            const x = stepDevice(variant, a, EVENTS[i]!);
            const y = stepDevice(variant, b, EVENTS[i]!);
            expect(y.emitted).toEqual(x.emitted);
            expect(y.snapshot.value).toEqual(x.snapshot.value);
            expect(y.snapshot.context).toEqual(x.snapshot.context);
            a = x.snapshot;
            b = y.snapshot;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
