import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../../fleet-generator.js';
import { createApp } from '../app.js';
import { createAuthConfig, signAccessToken } from '../auth.js';
import { FleetOperations, type FleetSlice } from '../bulk/fleet-operations.js';
import { ReferenceMdm } from '../reference-mdm.js';
import { serializeAudit } from '../serialize.js';
import { Journal, MetaMismatch } from './journal.js';
import { journaledFetch, replayJournal } from './journaled-fetch.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function world(dir: string) {
  const mdm = new ReferenceMdm({ seed: 4 });
  for (const p of generateFleet({ count: 40, seed: 4 })) mdm.enroll(p);
  const auth = createAuthConfig({});
  const journal = new Journal(dir);
  const app = createApp({ mdm, auth, onFleetSlice: (slice: FleetSlice) => journal.append({ at: mdm.clock.now(), method: 'FLEET_SLICE', path: JSON.stringify(slice), body: null, clientId: null, role: null }) });
  const plain = (r: Request) => app.fetch(r);
  return { mdm, auth, journal, plain, fetch: journaledFetch(plain, mdm, journal, 64 * 1024) };
}

/** Everything a client can see of the state, for comparing before and after. */
function stateOf(mdm: ReferenceMdm) {
  return {
    clock: mdm.clock.now(),
    devices: mdm.all().map((d) => [d.profile.id, mdm.truthOf(d), mdm.latestActions(d).map((a) => [a.actionName, a.actionState, a.passcode])]),
    audits: mdm.allAudits().map((a) => serializeAudit(mdm, a)),
  };
}

describe('the SQLite request journal', () => {
  it('replays into a fresh server the same devices, actions, audits, secrets and clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-journal-'));
    dirs.push(dir);
    const a = world(dir);
    const admin = await signAccessToken(a.auth, { clientId: 'helpdesk-operator', role: 'helpdesk-operator' });
    const sim = await signAccessToken(a.auth, { clientId: 'sim-controller', role: 'sim-controller' });
    const send = (method: string, path: string, token: string, body?: string | ReadableStream<Uint8Array>) =>
      a.fetch(new Request(`http://x${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body ?? null, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit));
    const ids = a.mdm.all().map((d) => d.profile.id);
    for (const [i, id] of ids.entries()) {
      await send('POST', `/beta/deviceManagement/managedDevices/${id}/${i % 3 === 0 ? 'remoteLock' : 'resetPasscode'}`, admin);
      if (i % 5 === 0) await send('POST', '/sim/clock', sim, '{"advance":"PT5S"}');
    }
    // A chunked body is journaled too.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"variant":'));
        c.enqueue(new TextEncoder().encode('"ios-device"}'));
        c.close();
      },
    });
    expect((await send('POST', '/sim/devices', sim, chunked)).status).toBe(201);
    expect((await send('POST', '/sim/fleet', sim, '{"count":30,"seed":9}')).status).toBe(201);
    // An asynchronous fleet is journaled slice by slice.
    const op = await send('POST', '/sim/fleet', sim, '{"count":12000,"seed":10}');
    expect(op.status).toBe(202);
    while (a.mdm.size < 40 + 1 + 30 + 12_000) await new Promise((resolve) => setImmediate(resolve));
    await send('POST', '/sim/clock', sim, '{"advance":"PT1H"}');
    expect((await send('POST', '/sim/devices', sim, '{"variant":"windows","deviceName":"bad\\u202e"}')).status).toBe(400);
    const before = stateOf(a.mdm);
    a.journal.saveClock(a.mdm.clock.now());
    a.journal.close();

    const b = world(dir);
    const replayed = await replayJournal(b.journal, b.plain, b.mdm, b.auth, (entry) => FleetOperations.enrollSlice(b.mdm, JSON.parse(entry.path) as FleetSlice));
    expect(replayed).toBeGreaterThan(40);
    expect(stateOf(b.mdm)).toEqual(before);
    b.journal.close();
  });

  it('refuses a data directory made with other settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-journal-'));
    dirs.push(dir);
    const first = new Journal(dir);
    first.checkSettings({ seed: '1', devices: '10' });
    first.close();
    const second = new Journal(dir);
    expect(() => second.checkSettings({ seed: '2', devices: '10' })).toThrow(MetaMismatch);
    expect(() => second.checkSettings({ seed: '2', devices: '10' })).toThrow(/seed: 1 then, 2 now/);
    second.close();
  });

  it('opens a data directory written before request headers were kept, and reads its entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-journal-old-'));
    dirs.push(dir);
    const old = new Database(join(dir, 'lockstep.sqlite'));
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE requests (n INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, body TEXT, client_id TEXT, role TEXT);
      INSERT INTO requests (at, method, path, body, client_id, role) VALUES (5, 'POST', '/sim/clock', '{"advance":"PT1M"}', 'sim-controller', 'sim-controller');`);
    old.close();
    const journal = new Journal(dir);
    journal.append({ at: 6, method: 'PUT', path: '/mdm', body: '<plist/>', clientId: null, role: null, headers: { 'mdm-signature': 'c2ln' } });
    expect([...journal.entries()]).toEqual([
      { at: 5, method: 'POST', path: '/sim/clock', body: '{"advance":"PT1M"}', clientId: 'sim-controller', role: 'sim-controller', headers: null },
      { at: 6, method: 'PUT', path: '/mdm', body: '<plist/>', clientId: null, role: null, headers: { 'mdm-signature': 'c2ln' } },
    ]);
    journal.close();
  });
});
