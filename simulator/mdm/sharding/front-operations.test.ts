import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../reliability/child-server.js';
import { startServer, type RunningServer } from '../serve.js';
import { shardOfDevice } from './device-shard.js';
import { startFront, type RunningFront } from './front-server.js';

/** Fleet posts over this many devices are operations here, so small fleets exercise them. */
const LIMIT = 20;
const UNKNOWN = '0b7a9c1e-2f34-4d56-8e78-9a0b1c2d3e4f';

interface Answer {
  status: number;
  location: string | null;
  body: Record<string, unknown> | null;
}

async function call(url: string, token: string | null, method: string, path: string, json?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(url + path, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const text = await r.text();
  return { status: r.status, location: r.headers.get('location'), body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** What two servers must agree on: the answer without ids and times (each server makes its own). */
function comparable(answer: Answer): unknown {
  if (!answer.body || typeof answer.body !== 'object') return { status: answer.status, body: answer.body };
  const body: Record<string, unknown> = { ...answer.body };
  for (const key of ['id', 'createdDateTime', 'lastActionDateTime']) delete body[key];
  if (body.error && typeof body.error === 'object') body.error = { ...body.error, innerError: undefined };
  // A shard's device ids carry its number where one process's have seeded digits.
  const untagged = JSON.parse(JSON.stringify(body).replace(/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{4}/g, '$1····')) as unknown;
  return { status: answer.status, located: answer.location?.startsWith('/sim/operations/') ?? false, body: untagged };
}

/** Polls an operation until it has finished (a fleet of a few dozen devices takes a few turns). */
async function finished(url: string, token: string, location: string): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call(url, token, 'GET', location);
    const status = answer.body?.status;
    if (answer.status !== 200 || status === 'succeeded' || status === 'failed' || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The session both servers get; every answer is logged in a comparable form. */
async function session(url: string): Promise<Array<[string, unknown]>> {
  const log: Array<[string, unknown]> = [];
  const sim = await tokenFor(url, 'sim-controller');
  const helpdesk = await tokenFor(url, 'helpdesk-operator');
  const admin = await tokenFor(url, 'intune-administrator');
  const post = async (name: string, body: unknown) => {
    const accepted = await call(url, sim, 'POST', '/sim/fleet', body);
    // A 202's body is the operation at that instant (the front's may already have finished): its count is what compares.
    log.push([`${name}: post`, accepted.status === 202 ? { status: 202, located: accepted.location?.startsWith('/sim/operations/'), count: accepted.body?.count } : comparable(accepted)]);
    if (accepted.status === 202) log.push([`${name}: finished`, comparable(await finished(url, sim, accepted.location!))]);
    return accepted;
  };
  const first = await post('large fleet', { count: 90, seed: 9 });
  await post('the same fleet again', { count: 90, seed: 9 });
  await post('ids of a large fleet', { count: 45, seed: 10, returnIds: true });
  await post('small fleet', { count: 15, seed: 11 });
  // Over the limit in one process, but each shard's part is small enough to enroll within the request.
  await post('fleet the shards settle at once', { count: 25, seed: 12 });
  const location = first.location ?? '';
  log.push(['poll without a token', comparable(await call(url, null, 'GET', location))]);
  log.push(['poll with a role that may not', comparable(await call(url, helpdesk, 'GET', location))]);
  log.push(['poll with an option', comparable(await call(url, sim, 'GET', `${location}?$top=1`))]);
  log.push(['poll an unknown operation', comparable(await call(url, sim, 'GET', `/sim/operations/${UNKNOWN}`))]);
  const counted = await call(url, admin, 'GET', '/v1.0/deviceManagement/managedDevices?$count=true&$top=1&$select=id');
  log.push(['$count', { status: counted.status, count: counted.body?.['@odata.count'] }]);
  expect(counted.body?.['@odata.count'], 'the whole fleet is counted').toBe(30 + 90 + 15 + 25);
  return log;
}

describe('fleet operations through the aggregating front', () => {
  let single: RunningServer;
  let shards: RunningServer[];
  let front: RunningFront;
  beforeAll(async () => {
    const base = { port: 0, host: '127.0.0.1', devices: 30, seed: 4, clock: 'manual' as const, signingKey: 'front-operations-key', syncFleetLimit: LIMIT };
    [single, ...shards] = await Promise.all([startServer(base), ...[0, 1, 2].map((index) => startServer({ ...base, shard: { index, count: 3 } }))]);
    front = await startFront({ shards: shards.map((s) => s.url), port: 0, host: '127.0.0.1', syncFleetLimit: LIMIT });
  });
  afterAll(async () => {
    await Promise.all([single?.close(), front?.close(), ...(shards ?? []).map((s) => s.close())]);
  });

  it('answers one operation per post, followed on every shard, as one process does', async () => {
    const a = await session(single.url);
    const b = await session(front.url);
    expect(b.map(([name]) => name)).toEqual(a.map(([name]) => name));
    for (let i = 0; i < a.length; i++) expect(b[i], a[i]![0]).toEqual(a[i]);
    // The session reached what it is about.
    const byName = new Map(a);
    expect(byName.get('large fleet: finished')).toMatchObject({ status: 200, body: { status: 'succeeded', count: 90, enrolled: 90, total: 120 } });
    expect(byName.get('the same fleet again: finished')).toMatchObject({ status: 200, body: { status: 'failed', enrolled: 0, error: { code: 'Conflict' } } });
    expect(byName.get('fleet the shards settle at once: post')).toEqual({ status: 202, located: true, count: 25 });
    expect(byName.get('fleet the shards settle at once: finished')).toMatchObject({ status: 200, body: { status: 'succeeded', enrolled: 25 } });
    expect(byName.get('ids of a large fleet: post')).toMatchObject({ status: 400 });
    expect(byName.get('poll an unknown operation')).toMatchObject({ status: 404 });
  });

  it('enrolls every part of an operation on the shard its ids name', () => {
    expect(shards.reduce((n, s) => n + s.mdm.size, 0)).toBe(single.mdm.size);
    shards.forEach((s, k) => {
      for (const r of s.mdm.all()) expect(shardOfDevice(r.profile.id, 3)).toBe(k);
    });
  });
});
