import { afterEach, describe, expect, it } from 'vitest';
import { ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import { startServer, type RunningServer } from '../../simulator/mdm/serve.js';
import { DemoWorkload, enrollDemoFleet, prng } from './demo-workload.js';
import { actionView, embeddedFleetSource, httpFleetSource, type FleetSource } from './fleet-source.js';
import { waitFor } from './test-support/fixtures.js';
import { WatchStore } from './watch-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('actionView', () => {
  it('keeps only whether a passcode or PIN was issued, never the value', () => {
    const view = actionView({ actionName: 'resetPasscode', actionState: 'done', passcode: '48291377', errorCode: 0 });
    expect(view.secretIssued).toBe(true);
    expect(JSON.stringify(view)).not.toContain('48291377');
    expect(actionView({ actionName: 'remoteLock', actionState: 'done', unlockPin: '123456' }).secretIssued).toBe(true);
    expect(actionView({ actionName: 'resetPasscode', actionState: 'failed', passcode: null }).secretIssued).toBe(false);
  });
});

describe('the demo workload and the embedded source', () => {
  it('is seeded: the same seed gives the same sequence', () => {
    const a = prng(42);
    const b = prng(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(prng(43)()).not.toBe(prng(42)());
  });

  it('feeds the store straight from the reference MDM, and device details never carry a passcode', async () => {
    const mdm = new ReferenceMdm({ seed: 5 });
    enrollDemoFleet(mdm, 300, 5);
    const source = embeddedFleetSource(mdm, 'demo');
    const store = new WatchStore();
    source.start(store);
    cleanups.push(() => source.close());
    const workload = new DemoWorkload(mdm, { seed: 5, eventsPerSecond: 2000, tickMs: 50 });
    for (let i = 0; i < 60; i++) workload.tick();
    expect(store.totalEvents).toBeGreaterThan(60 * 50);
    await waitFor(() => store.stats !== null, 'stats');
    expect(store.stats!.devices).toBe(300);
    expect(store.connection.state).toBe('connected');
    const kinds = new Set(store.recent(64).map((e) => e.kind));
    expect(kinds).toEqual(new Set(['device', 'action']));
    expect(store.recent(64).every((e) => e.variant !== null)).toBe(true);
    // A device whose reset went through has a temporary passcode on record.
    const record = mdm.all().find((r) => mdm.latestActions(r).some((a) => a.actionName === 'resetPasscode' && a.passcode));
    expect(record).toBeDefined();
    const passcode = mdm.latestActions(record!).find((a) => a.passcode)!.passcode!;
    const detail = await source.device(record!.profile.id);
    expect(detail.actions.find((a) => a.actionName === 'resetPasscode')!.secretIssued).toBe(true);
    expect(detail.audits.length).toBeGreaterThan(0);
    expect(JSON.stringify(detail)).not.toContain(passcode);
  });
});

describe('httpFleetSource against lockstep serve', () => {
  async function serve(port = 0): Promise<RunningServer> {
    const server = await startServer({ port, host: '127.0.0.1', devices: 40, seed: 9, clock: 'manual' });
    return server;
  }

  it('streams events and stats, shows device history, and reconnects after a restart (new signing key)', async () => {
    let server = await serve();
    const port = Number(new URL(server.url).port);
    const store = new WatchStore();
    const source: FleetSource = httpFleetSource({ url: server.url, backoff: { initialMs: 20, maxMs: 100 }, statsPollMs: 50 });
    source.start(store);
    cleanups.push(() => source.close());
    cleanups.push(() => server.close());
    await waitFor(() => store.connection.state === 'connected' && store.stats !== null, 'connected with stats');
    expect(store.stats!.devices).toBe(40);

    // An admin resets a passcode; the device checks in when simulated time moves.
    const mdm = server.mdm;
    const target = mdm.all().find((r) => r.profile.facts.variant === 'android-da-legacy' || r.profile.facts.variant === 'ae-fully-managed') ?? mdm.all()[0]!;
    const id = target.profile.id;
    mdm.requestAction(id, 'resetPasscode', 'helpdesk-operator');
    mdm.clock.advance(60_000);
    await waitFor(() => store.recent(20).some((e) => e.id === id && e.kind === 'action'), 'the action events');
    const detail = await source.device(id);
    expect(detail.truth.variant).toBe(target.profile.facts.variant);
    expect(detail.actions.map((a) => a.actionName)).toContain('resetPasscode');
    expect(detail.audits[0]).toMatchObject({ action: 'resetPasscode', initiatedBy: 'helpdesk-operator' });
    const secret = mdm.latestActions(target).find((a) => a.actionName === 'resetPasscode')?.passcode;
    if (secret) expect(JSON.stringify(detail)).not.toContain(secret);

    // The server goes away: the store says so, with a retry time.
    await server.close();
    await waitFor(() => store.connection.state === 'disconnected', 'disconnected');
    expect(store.connection).toMatchObject({ state: 'disconnected', retryAt: expect.any(Number) });

    // It comes back on the same port with a new signing key: the old token gets a 401, a new one is fetched.
    server = await serve(port);
    await waitFor(() => store.connection.state === 'connected', 'reconnected', 8000);
    const before = store.totalEvents;
    server.mdm.deviceEvent(server.mdm.all()[0]!.profile.id, { type: 'goOffline' });
    await waitFor(() => store.totalEvents > before, 'events from the restarted server', 8000);
  });
});
