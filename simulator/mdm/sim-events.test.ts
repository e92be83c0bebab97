import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from './graph-error.js';
import { ReferenceMdm, type ChangeEvent } from './reference-mdm.js';
import { registerEventStream } from './sim-events.js';
import { startTestServer, type TestServer } from './test-support/server.js';

interface SseEvent {
  event: string;
  data: string;
}

/** Reads SSE frames from a response body; comments come back as event ':'. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: SseEvent[] = [];
  const pump = async (): Promise<boolean> => {
    const { done, value } = await reader.read();
    if (done) return false;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith(':')) {
        frames.push({ event: ':', data: frame.slice(1).trim() });
        continue;
      }
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      frames.push({ event, data: data.join('\n') });
    }
    return true;
  };
  return {
    /** The next frame matching `match`, skipping others. */
    async next(match: (e: SseEvent) => boolean = () => true): Promise<SseEvent> {
      for (;;) {
        const i = frames.findIndex(match);
        if (i >= 0) return frames.splice(0, i + 1).pop()!;
        frames.length = 0;
        if (!(await pump())) throw new Error('event stream ended');
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

describe('GET /sim/events over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('sends hello, then device and action events as state changes; unsubscribes on disconnect', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed' });
    const listenersBefore = s.mdm.changes.listenerCount('change');
    const abort = new AbortController();
    const response = await fetch(`${s.url}/sim/events`, { headers: { authorization: `Bearer ${await s.token('sim-controller')}` }, signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseReader(response.body!);
    const hello = await events.next();
    expect(hello.event).toBe('hello');
    expect(JSON.parse(hello.data)).toMatchObject({ mode: 'manual', now: s.mdm.clock.nowIso() });
    expect(s.mdm.changes.listenerCount('change')).toBe(listenersBefore + 1);

    await s.sim('POST', `/sim/devices/${id}/events`, { type: 'goOffline' });
    const device = await events.next((e) => e.event === 'device');
    expect(JSON.parse(device.data)).toMatchObject({ kind: 'device', id, truth: { online: false } });

    await s.graph('global-administrator', 'POST', `/managedDevices/${id}/resetPasscode`);
    const action = await events.next((e) => e.event === 'action');
    const data = JSON.parse(action.data) as ChangeEvent;
    expect(data).toMatchObject({ kind: 'action', id, actionName: 'resetPasscode', actionState: 'pending' });
    expect(action.data).not.toMatch(/"passcode"/);

    abort.abort();
    await events.cancel();
    for (let i = 0; i < 100 && s.mdm.changes.listenerCount('change') > listenersBefore; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.mdm.changes.listenerCount('change')).toBe(listenersBefore);
  });

  it('HEAD answers the headers without subscribing', async () => {
    const before = s.mdm.changes.listenerCount('change');
    const r = await s.req('sim-controller', 'HEAD', '/sim/events');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.mdm.changes.listenerCount('change')).toBe(before);
  });

  it('requires the sim-controller role', async () => {
    expect((await s.req('global-administrator', 'GET', '/sim/events')).status).toBe(403);
    expect((await s.req(null, 'GET', '/sim/events')).status).toBe(401);
  });

  it('close() ends open event streams', async () => {
    const other = await startTestServer();
    const response = await fetch(`${other.url}/sim/events`, { headers: { authorization: `Bearer ${await other.token('sim-controller')}` } });
    const events = sseReader(response.body!);
    await events.next();
    const closed = other.close();
    await expect(closed).resolves.toBeUndefined();
    await expect(events.next()).rejects.toThrow();
  });
});

describe('event stream flow control (in-process)', () => {
  const setup = (options: Parameters<typeof registerEventStream>[2]) => {
    const mdm = new ReferenceMdm();
    const app = new Hono<AppEnv>();
    registerEventStream(app, mdm, options);
    return { mdm, app };
  };
  const fake = (n: number): ChangeEvent => ({ kind: 'action', id: `device-${n}`, at: 'x', actionName: 'remoteLock', actionState: 'pending', errorReason: null });

  it('drops the oldest events of a client that falls behind and says how many', async () => {
    const { mdm, app } = setup({ queueLimit: 5, heartbeatMs: 60_000 });
    const response = await app.fetch(new Request('http://local/sim/events'));
    const events = sseReader(response.body!);
    expect((await events.next()).event).toBe('hello');
    for (let i = 0; i < 20; i++) mdm.changes.emit('change', fake(i));
    const dropped = await events.next();
    expect(dropped).toEqual({ event: 'dropped', data: '{"dropped":15}' });
    const rest: string[] = [];
    for (let i = 0; i < 5; i++) rest.push(JSON.parse((await events.next()).data).id);
    expect(rest).toEqual(['device-15', 'device-16', 'device-17', 'device-18', 'device-19']);
    await events.cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(mdm.changes.listenerCount('change')).toBe(0);
  });

  it('sends heartbeat comments while idle', async () => {
    const { app } = setup({ heartbeatMs: 20 });
    const response = await app.fetch(new Request('http://local/sim/events'));
    const events = sseReader(response.body!);
    await events.next();
    expect(await events.next()).toEqual({ event: ':', data: 'heartbeat' });
    await events.cancel();
  });

  it('batches a fleet-wide burst without losing order', async () => {
    const { mdm, app } = setup({ batchSize: 64 });
    const response = await app.fetch(new Request('http://local/sim/events'));
    const events = sseReader(response.body!);
    await events.next();
    for (let i = 0; i < 3000; i++) mdm.changes.emit('change', fake(i));
    for (let i = 0; i < 3000; i++) expect(JSON.parse((await events.next()).data).id).toBe(`device-${i}`);
    await events.cancel();
  });
});
