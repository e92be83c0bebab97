import type { RoleName } from '../../../contract/roles.js';
import { startServer, type RunningServer, type ServeOptions } from '../serve.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: any;
}

export interface RequestOptions {
  json?: unknown;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  /** A raw bearer token instead of the role's. */
  token?: string;
}

export interface TestServer extends RunningServer {
  lines: string[];
  token(role: RoleName): Promise<string>;
  /** A request as a role (null: no Authorization header). */
  req(role: RoleName | null, method: string, path: string, options?: RequestOptions): Promise<Reply>;
  graph(role: RoleName, method: string, path: string, options?: RequestOptions): Promise<Reply>;
  sim(method: string, path: string, json?: unknown): Promise<Reply>;
  enroll(spec: Record<string, unknown>): Promise<string>;
  /** POST /sim/fleet; a large fleet's operation (202) is polled until it ends. Resolves with the final view. */
  enrollFleet(options: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

export async function startTestServer(options: Partial<ServeOptions> = {}): Promise<TestServer> {
  const lines: string[] = [];
  const server = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 7, clock: 'manual', log: (l) => lines.push(l), ...options });
  const tokens = new Map<RoleName, string>();
  const token = async (role: RoleName) => {
    let t = tokens.get(role);
    if (!t) {
      const r = await fetch(`${server.url}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: role, client_secret: role }).toString(),
      });
      if (r.status !== 200) throw new Error(`token for ${role}: HTTP ${r.status}`);
      t = ((await r.json()) as { access_token: string }).access_token;
      tokens.set(role, t);
    }
    return t;
  };
  const req = async (role: RoleName | null, method: string, path: string, o: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...o.headers };
    const bearer = o.token ?? (role ? await token(role) : undefined);
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    let body: RequestInit['body'] = null;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    } else if (o.body !== undefined) body = o.body as RequestInit['body'];
    const init: RequestInit & { duplex?: string } = { method, headers, body };
    if (o.body instanceof ReadableStream) init.duplex = 'half';
    const r = await fetch(server.url + path, init);
    const text = await r.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: r.status, headers: r.headers, text, body: parsed };
  };
  const sim = (method: string, path: string, json?: unknown) => req('sim-controller', method, path, json === undefined ? {} : { json });
  return {
    ...server,
    lines,
    token,
    req,
    graph: (role, method, path, o) => req(role, method, `/beta/deviceManagement${path}`, o),
    sim,
    async enroll(spec) {
      const r = await sim('POST', '/sim/devices', spec);
      if (r.status !== 201) throw new Error(`enroll ${JSON.stringify(spec)}: HTTP ${r.status} ${r.text}`);
      return r.body.id as string;
    },
    async enrollFleet(options) {
      const r = await sim('POST', '/sim/fleet', options);
      if (r.status !== 202) return { status: r.status, body: r.body };
      const location = r.headers.get('location')!;
      for (;;) {
        const op = await sim('GET', location);
        if (op.body.status === 'succeeded' || op.body.status === 'failed') return { status: 202, body: op.body };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
