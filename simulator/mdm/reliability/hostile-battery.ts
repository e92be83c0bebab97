import { createHmac } from 'node:crypto';
import { isGraphError, isOAuthError, rawRequest, type RawReply } from './raw-http.js';

/** What the battery needs from the server under test: its URL, a device, and two valid tokens. */
export interface BatteryTarget {
  url: string;
  deviceId: string;
  admin: string;
  sim: string;
}

export interface BatteryResult {
  requests: number;
  problems: string[];
  statuses: Map<number, number>;
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');
function forged(header: object, payload: object, key = 'not-the-key-not-the-key'): string {
  const head = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

interface Case {
  name: string;
  bytes: () => string;
}

export const requestFor = (host: string) => (method: string, target: string, headers: Record<string, string> = {}, body = '') => {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== '' || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
};

/** At least 200 hostile requests: protocol abuse, spoofing text, forged tokens, odd bodies and queries. */
function cases(t: BatteryTarget): Case[] {
  const { deviceId, admin, sim } = t;
  const host = new URL(t.url).host;
  const request = requestFor(host);
  const simPost = (path: string, json: string) => request('POST', path, { authorization: `Bearer ${sim}`, 'content-type': 'application/json' }, json);
  const graphGet = (path: string, headers: Record<string, string> = {}) => request('GET', path, { authorization: `Bearer ${admin}`, ...headers });
  const list: Case[] = [];
  const add = (name: string, bytes: () => string) => list.push({ name, bytes });
  // Protocol level: Node's parser answers these before the app (clientError).
  add('headers over 16 KB', () => request('GET', '/sim/clock', { 'x-padding': 'a'.repeat(20_000) }));
  add('many headers over 16 KB', () => request('GET', '/sim/clock', Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`x-h${i}`, 'b'.repeat(60)]))));
  add('request target *', () => 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  add('GET *', () => 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  add('backslash path', () => request('GET', '/beta\\deviceManagement\\managedDevices'));
  add('backslash traversal', () => request('GET', '/..\\..\\etc\\passwd'));
  add('absolute-form target with a foreign host', () => graphGet('http://evil.example/beta/deviceManagement/managedDevices?$top=1'));
  add('foreign Host header on a paged list', () => requestFor('evil.example')('GET', '/beta/deviceManagement/managedDevices?$top=1', { authorization: `Bearer ${admin}` }));
  add('foreign Host header on one device', () => requestFor('evil.example')('GET', `/v1.0/deviceManagement/managedDevices/${deviceId}`, { authorization: `Bearer ${admin}` }));
  add('garbage request line', () => 'GARBAGE\r\n\r\n');
  add('no version', () => 'GET /sim/clock\r\n\r\n');
  add('HTTP/9.9', () => 'GET /sim/clock HTTP/9.9\r\nHost: x\r\n\r\n');
  add('bad header name', () => 'GET /sim/clock HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n');
  add('header without colon', () => 'GET /sim/clock HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n');
  add('non-numeric Content-Length', () => 'POST /sim/clock HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
  add('two Content-Lengths', () => 'POST /sim/clock HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}');
  add('Content-Length and chunked', () => 'POST /sim/clock HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
  add('bad chunk size', () => `POST /sim/clock HTTP/1.1\r\nHost: x\r\nauthorization: Bearer ${sim}\r\ncontent-type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
  add('NUL in the target', () => 'GET /sim/\u0000clock HTTP/1.1\r\nHost: x\r\n\r\n');
  add('body declared over the limit', () => request('POST', '/sim/clock', { authorization: `Bearer ${sim}`, 'content-type': 'application/json', 'content-length': '10000000' }).replace(/Content-Length: 0\r\n/, ''));
  // Spoofing text in names and filters.
  const spoofs = ['\\u0000', '\\u202e', '\\ud800', '\\udc00', '\\u0007', '\\u001b[2J', '\\u2066', '\\u200f', '\\u0085', '\\u007f', 'a\\nb', 'tab\\t'];
  for (const bad of spoofs) {
    add(`deviceName ${bad}`, () => simPost('/sim/devices', `{"variant":"windows","deviceName":"name${bad}x"}`));
    if (bad.startsWith('\\ud') || bad.startsWith('\\udc')) continue; // a lone surrogate cannot travel in a URL (UTF-8)
    add(`$filter ${bad}`, () => graphGet(`/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent(`deviceName eq 'x${JSON.parse(`"${bad}"`)}'`)}`));
    add(`audit $filter ${bad}`, () => graphGet(`/beta/deviceManagement/remoteActionAudits?$filter=${encodeURIComponent(`managedDeviceId eq '${JSON.parse(`"${bad}"`)}'`)}`));
  }
  // Clock moves beyond the bound or malformed.
  for (const advance of ['P100000W', 'P401D', 'P99999999D', 'PT999999999H', 'P1Y', '-P1D', 'P', 'PT', '1D', 'P1.5.5D']) add(`clock advance ${advance}`, () => simPost('/sim/clock', JSON.stringify({ advance })));
  for (const to of ['9999-12-31T00:00:00Z', '2020-01-01T00:00:00Z', 'yesterday', '2026-13-01T00:00:00Z', '']) add(`clock to ${to}`, () => simPost('/sim/clock', JSON.stringify({ to })));
  // Token endpoint: two client authentication methods, odd forms.
  const basic = Buffer.from('helpdesk-operator:helpdesk-operator').toString('base64');
  const form = 'application/x-www-form-urlencoded';
  add('Basic and form secret together', () => request('POST', '/oauth2/v2.0/token', { authorization: `Basic ${basic}`, 'content-type': form }, 'grant_type=client_credentials&client_id=helpdesk-operator&client_secret=helpdesk-operator'));
  add('Basic and a form secret for another client', () => request('POST', '/oauth2/v2.0/token', { authorization: `Basic ${basic}`, 'content-type': form }, 'grant_type=client_credentials&client_secret=x'));
  for (const body of ['', 'grant_type=password', 'grant_type=client_credentials', 'grant_type=client_credentials&client_id=a&client_id=b', '%zz=1', 'grant_type=client_credentials&client_id=\u0000&client_secret=x']) {
    add(`token form '${body.slice(0, 30)}'`, () => request('POST', '/oauth2/v2.0/token', { 'content-type': form }, body));
  }
  add('token as JSON', () => request('POST', '/oauth2/v2.0/token', { 'content-type': 'application/json' }, '{"grant_type":"client_credentials"}'));
  // Forged and broken tokens, on several routes.
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'x', role: 'global-administrator', iat: now, nbf: now, exp: now + 3600, iss: 'lockstep' };
  const [head, payload] = admin.split('.');
  const tokens: [string, string][] = [
    ['alg none', `${b64(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}.`],
    ['wrong key', forged({ alg: 'HS256', typ: 'JWT' }, claims)],
    ['stripped signature', `${head}.${payload}.`],
    ['role edited', `${head}.${b64(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'global-administrator' }))}.${admin.split('.')[2]}`],
    ['header swapped to RS256', `${b64(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${payload}.${admin.split('.')[2]}`],
    ['expired', forged({ alg: 'HS256' }, { ...claims, exp: now - 10 })],
    ['garbage', 'a.b.c'],
    ['empty', ''],
  ];
  const routes = ['/beta/deviceManagement/managedDevices', `/v1.0/deviceManagement/managedDevices/${deviceId}`, '/sim/clock', '/sim/stats', '/beta/deviceManagement/remoteActionAudits'];
  for (const [name, token] of tokens) for (const route of routes) add(`${name} token on ${route}`, () => request('GET', route, { authorization: `Bearer ${token}` }));
  for (const [name, token] of tokens) add(`${name} token on reset`, () => request('POST', `/beta/deviceManagement/managedDevices/${deviceId}/resetPasscode`, { authorization: `Bearer ${token}` }));
  // Odd bodies and content types.
  const bodies = ['{', '[]', 'null', '"x"', '{"variant":1}', '{"variant":"nokia"}', '{"variant":"windows","extra":1}', '{"variant":"windows","deviceName":""}', `{"variant":"windows","deviceName":"${'x'.repeat(200)}"}`, '{"__proto__":{"x":1}}', '\uFEFF{}', '{"variant":"windows","osVersion":"99.99.99.99.99"}'];
  for (const body of bodies) add(`enroll body ${body.slice(0, 20)}`, () => simPost('/sim/devices', body));
  for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '']) add(`enroll content-type '${type}'`, () => request('POST', '/sim/devices', { authorization: `Bearer ${sim}`, ...(type ? { 'content-type': type } : {}) }, '{"variant":"windows"}'));
  for (const body of ['{"type":"explode"}', '{"type":"setPasscode"}', '{"type":"checkIn","passcode":"1"}', '{"type":"enterPasscode","passcode":""}', '{}', '[1]']) {
    add(`event ${body}`, () => simPost(`/sim/devices/${deviceId}/events`, body));
  }
  for (const body of ['{"count":0,"seed":1}', '{"count":-1,"seed":1}', '{"count":1e9,"seed":1}', '{"count":"10","seed":1}', '{"count":10}', '{"count":10,"seed":1,"mix":{"nokia":1}}', '{"count":10,"seed":1,"returnIds":"yes"}', '{"count":99999999,"seed":1}']) {
    add(`fleet ${body}`, () => simPost('/sim/fleet', body));
  }
  add('fleet over --max-devices', () => simPost('/sim/fleet', '{"count":6000,"seed":3}'));
  add('wipe with unknown option', () => request('POST', `/beta/deviceManagement/managedDevices/${deviceId}/wipe`, { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, '{"keepEverything":true}'));
  // Queries.
  const queries = ['$top=0', '$top=-1', '$top=99999999', '$top=abc', '$skiptoken=zzz', '$skiptoken=' + 'A'.repeat(500), '$filter=deviceName', "$filter=deviceName gt 'x'", "$filter=deviceName eq 'x' or colour eq 'y'", "$filter=deviceName xor 'x'", "$filter=deviceName eq 'x' or", "$filter=contains(deviceName,'x')", "$filter=lastSyncDateTime ge 'x'", "$filter=deviceName eq 'unterminated", '$select=nope', '$count=maybe', '$orderby=id', '$top=1&$top=2', '$expand=*', '%zz=1', "$filter=deviceName eq '" + "x".repeat(5000) + "'"];
  for (const q of queries) {
    const encoded = q.replace(/ /g, '%20').replace(/'/g, '%27');
    add(`devices ?${q.slice(0, 30)}`, () => graphGet(`/beta/deviceManagement/managedDevices?${encoded}`));
    add(`audits ?${q.slice(0, 30)}`, () => graphGet(`/beta/deviceManagement/remoteActionAudits?${encoded}`));
  }
  // Unknown things and wrong methods.
  for (const path of ['/', '/beta', '/beta/deviceManagement', '/v2.0/deviceManagement/managedDevices', '/sim', '/sim/operations/nope', '/.env', '/%2e%2e/%2e%2e/etc/passwd', '/beta/deviceManagement/managedDevices/nope/resetPasscode', `/beta/deviceManagement/managedDevices/${deviceId}/selfDestruct`]) {
    add(`GET ${path}`, () => graphGet(path));
    add(`DELETE ${path}`, () => request('DELETE', path, { authorization: `Bearer ${admin}` }));
  }
  for (const method of ['PUT', 'PATCH', 'DELETE', 'TRACE', 'CONNECT']) add(`${method} on a device`, () => request(method, `/beta/deviceManagement/managedDevices/${deviceId}`, { authorization: `Bearer ${admin}` }));
  add('read-only role resets', () => request('POST', `/beta/deviceManagement/managedDevices/${deviceId}/resetPasscode`, { authorization: `Bearer ${admin.replace(/./g, (c) => c)}x` }));
  add('sim role on Graph', () => request('GET', '/beta/deviceManagement/managedDevices', { authorization: `Bearer ${sim}` }));
  add('Graph role on sim', () => request('GET', '/sim/stats', { authorization: `Bearer ${admin}` }));
  add('event stream with options', () => request('GET', '/sim/events?$top=1', { authorization: `Bearer ${sim}` }));
  return list;
}

/** Sends every case and collects what is off-contract: a 5xx, a 4xx outside Graph's shape, a lost answer, a reflected foreign host. */
export async function runBattery(t: BatteryTarget): Promise<BatteryResult> {
  const all = cases(t);
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  for (const c of all) {
    let reply: RawReply;
    try {
      reply = await rawRequest(t.url, c.bytes());
    } catch (error) {
      problems.push(`${c.name}: ${(error as Error).message}`);
      continue;
    }
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    if (reply.status >= 500) problems.push(`${c.name}: HTTP ${reply.status}`);
    else if (reply.status >= 400) {
      const tokenEndpoint = c.bytes().includes('/oauth2/v2.0/token');
      if (!isGraphError(reply.body) && !(tokenEndpoint && isOAuthError(reply.body))) problems.push(`${c.name}: HTTP ${reply.status} not Graph-shaped: ${JSON.stringify(reply.body.slice(0, 120))}`);
    } else if (reply.status >= 200 && reply.status < 300 && !/^(devices|audits) \?%zz|^devices \?\$filter=deviceName eq 'xxx|^foreign Host/.test(c.name)) {
      problems.push(`${c.name}: accepted with HTTP ${reply.status}`);
    }
    if (reply.body.includes('evil.example')) problems.push(`${c.name}: reflected a foreign host`);
  }
  return { requests: all.length, problems, statuses };
}
