import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseParser, backoffDelay, openEventStream, type EventStreamHandle, type SseEvent, type StreamStatus } from './event-stream.js';

function parseAll(chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (ms) => retries.push(ms) });
  for (const c of chunks) parser.push(c);
  return { events, comments, retries, parser };
}

describe('SseParser', () => {
  it('parses event and data fields, dispatching on a blank line', () => {
    const { events } = parseAll(['event: device\ndata: {"id":"a"}\n\nevent: action\ndata: {"id":"b"}\n\n']);
    expect(events).toEqual([
      { event: 'device', data: '{"id":"a"}', id: '' },
      { event: 'action', data: '{"id":"b"}', id: '' },
    ]);
  });

  it('joins multi-line data with newlines and defaults the type to message', () => {
    const { events } = parseAll(['data: first\ndata: second\ndata\ndata:third\n\n']);
    expect(events).toEqual([{ event: 'message', data: 'first\nsecond\n\nthird', id: '' }]);
  });

  it('reports comments and ignores unknown fields', () => {
    const { events, comments } = parseAll([': heartbeat\n\n:no-space\nfoo: bar\ndata: x\n\n']);
    expect(comments).toEqual(['heartbeat', 'no-space']);
    expect(events).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });

  it('handles CRLF, CR and LF line ends, even when a CRLF is split across chunks', () => {
    const { events } = parseAll(['event: a\r', '\ndata: 1\r', '\n\r', '\nevent: b\rdata: 2\r\rdata: 3\n', '\n']);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['message', '3'],
    ]);
  });

  it('reassembles fields split anywhere, one character at a time', () => {
    const text = 'event: hello\ndata: {"now":"2026-01-05T09:00:00Z"}\n\nevent: device\ndata: é✓\n\n';
    const { events } = parseAll([...text]);
    expect(events).toEqual([
      { event: 'hello', data: '{"now":"2026-01-05T09:00:00Z"}', id: '' },
      { event: 'device', data: 'é✓', id: '' },
    ]);
  });

  it('does not dispatch an event without data, and resets the type after each dispatch', () => {
    const { events } = parseAll(['event: lonely\n\ndata: after\n\n']);
    expect(events).toEqual([{ event: 'message', data: 'after', id: '' }]);
  });

  it('keeps the last id and reads retry', () => {
    const { events, retries, parser } = parseAll(['id: 7\nretry: 2500\nretry: soon\ndata: x\n\ndata: y\n\n']);
    expect(events.map((e) => e.id)).toEqual(['7', '7']);
    expect(parser.lastEventId).toBe('7');
    expect(retries).toEqual([2500]);
  });

  it('drops an unterminated event when the stream ends', () => {
    const { events, parser } = parseAll(['data: half']);
    parser.end();
    parser.push('data: whole\n\n');
    expect(events).toEqual([{ event: 'message', data: 'whole', id: '' }]);
  });

  it('strips a leading byte-order mark', () => {
    const { events } = parseAll(['\ufeffdata: x\n\n']);
    expect(events).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelay(a, options))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(backoffDelay(1)).toBe(500);
    expect(backoffDelay(1000)).toBe(15_000);
  });
});

/** A real SSE server on 127.0.0.1:0 whose behaviour each test scripts per connection. */
class SseServer {
  server: Server | null = null;
  port = 0;
  connections = 0;
  authHeaders: Array<string | undefined> = [];
  handler: (res: ServerResponse, n: number, req: IncomingMessage) => void = () => undefined;
  private open = new Set<ServerResponse>();

  async listen(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.connections++;
      this.authHeaders.push(req.headers.authorization);
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      this.handler(res, this.connections, req);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.open.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

const startSse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });

async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('openEventStream against a real server', () => {
  const servers: SseServer[] = [];
  let handle: EventStreamHandle | null = null;
  afterEach(async () => {
    handle?.close();
    handle = null;
    for (const s of servers.splice(0)) await s.close();
  });

  it('receives events, reports connected, and reconnects after the server closes the stream', async () => {
    const server = new SseServer();
    servers.push(server);
    server.handler = (res, n) => {
      startSse(res);
      res.write(`event: hello\ndata: {"n":${n}}\n\n: heartbeat\n\n`);
      res.write(`event: device\ndata: {"id":"d${n}",\ndata: "x":1}\n\n`);
      if (n === 1) setTimeout(() => res.end(), 20);
    };
    await server.listen();
    const events: SseEvent[] = [];
    const statuses: StreamStatus[] = [];
    handle = openEventStream({
      url: `http://127.0.0.1:${server.port}/sim/events`,
      headers: () => ({ authorization: 'Bearer t' }),
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      backoff: { initialMs: 10, maxMs: 40 },
    });
    await until(() => events.length >= 4, 'events from two connections');
    expect(events.map((e) => e.event)).toEqual(['hello', 'device', 'hello', 'device']);
    expect(JSON.parse(events[1]!.data)).toEqual({ id: 'd1', x: 1 });
    expect(JSON.parse(events[3]!.data)).toEqual({ id: 'd2', x: 1 });
    expect(server.authHeaders[0]).toBe('Bearer t');
    const states = statuses.map((s) => s.state);
    expect(states.slice(0, 4)).toEqual(['connecting', 'connected', 'disconnected', 'connecting']);
    expect(handle.status.state).toBe('connected');
  });

  it('survives the server going away: backs off with growing, capped delays, then reconnects when it comes back', async () => {
    const server = new SseServer();
    servers.push(server);
    server.handler = (res, n) => {
      startSse(res);
      res.write(`event: hello\ndata: {"n":${n}}\n\n`);
    };
    await server.listen();
    const port = server.port;
    const events: SseEvent[] = [];
    const statuses: StreamStatus[] = [];
    handle = openEventStream({
      url: `http://127.0.0.1:${port}/sim/events`,
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      backoff: { initialMs: 10, maxMs: 80 },
    });
    await until(() => events.length === 1, 'the first hello');

    await server.close();
    const downs = () => statuses.filter((s): s is Extract<StreamStatus, { state: 'disconnected' }> => s.state === 'disconnected');
    await until(() => downs().length >= 5, 'several failed attempts');
    const delays = downs().map((s) => s.retryInMs);
    // After a connection that delivered data, the first retry is the initial delay; then doubling to the cap.
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 80, 80]);
    expect(downs()[1]!.reason).toMatch(/ECONNREFUSED|fetch failed|refused/i);

    const back = new SseServer();
    servers.push(back);
    back.handler = (res) => {
      startSse(res);
      res.write('event: hello\ndata: {"back":true}\n\n');
    };
    await back.listen(port);
    await until(() => events.length === 2, 'the hello after the restart');
    expect(JSON.parse(events[1]!.data)).toEqual({ back: true });
    expect(handle.status.state).toBe('connected');
  });

  it('treats a non-200 answer as a failed attempt and reports the status', async () => {
    const server = new SseServer();
    servers.push(server);
    server.handler = (res, n) => {
      if (n === 1) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"Unauthorized"}}');
        return;
      }
      startSse(res);
      res.write('data: ok\n\n');
    };
    await server.listen();
    const httpErrors: number[] = [];
    const events: SseEvent[] = [];
    const statuses: StreamStatus[] = [];
    handle = openEventStream({
      url: `http://127.0.0.1:${server.port}/`,
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      onHttpError: (status) => httpErrors.push(status),
      backoff: { initialMs: 5, maxMs: 5 },
    });
    await until(() => events.length === 1, 'the event after the retry');
    expect(httpErrors).toEqual([401]);
    expect(statuses.find((s) => s.state === 'disconnected')).toMatchObject({ reason: 'HTTP 401' });
  });

  it('gives up on a stalled connection after the idle timeout', async () => {
    const server = new SseServer();
    servers.push(server);
    server.handler = (res, n) => {
      startSse(res);
      res.write(`data: ${n}\n\n`);
      // Then silence: no heartbeat.
    };
    await server.listen();
    const events: SseEvent[] = [];
    const statuses: StreamStatus[] = [];
    handle = openEventStream({
      url: `http://127.0.0.1:${server.port}/`,
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      idleTimeoutMs: 50,
      backoff: { initialMs: 5, maxMs: 5 },
    });
    await until(() => events.length >= 2, 'a second connection after the stall');
    expect(statuses.find((s) => s.state === 'disconnected')).toMatchObject({ reason: expect.stringMatching(/no data/) });
  });

  it('close() stops reconnecting and reports closed', async () => {
    const server = new SseServer();
    servers.push(server);
    server.handler = (res) => {
      startSse(res);
      res.write('data: x\n\n');
    };
    await server.listen();
    const statuses: StreamStatus[] = [];
    const h = openEventStream({ url: `http://127.0.0.1:${server.port}/`, onEvent: () => undefined, onStatus: (s) => statuses.push(s), backoff: { initialMs: 5 } });
    await until(() => h.status.state === 'connected', 'connected');
    h.close();
    expect(h.status.state).toBe('closed');
    const before = server.connections;
    await new Promise((r) => setTimeout(r, 60));
    expect(server.connections).toBe(before);
    expect(statuses.at(-1)!.state).toBe('closed');
  });
});
