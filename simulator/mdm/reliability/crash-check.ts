import { mulberry32 } from '../../../contract/mulberry32.js';
import { startChildServer, tokenFor, type ChildServer } from './child-server.js';

const AUDIT_NAME = { resetPasscode: 'resetPasscode', remoteLock: 'remoteLock', wipe: 'factoryReset' } as const;
type Action = keyof typeof AUDIT_NAME;

export interface CrashCheckResult {
  /** Acknowledged (2xx) requests whose effect is missing after the restart. */
  missing: string[];
  acknowledgedActions: number;
  enrolled: number;
  clockBehind: boolean;
  restartOutput: string;
}

/**
 * Starts `lockstep serve ARGS`, drives seeded load (enrollments, resets, locks, wipes, clock moves)
 * from six clients, kills the process with SIGKILL once 400 requests were acknowledged, starts
 * `lockstep serve RESTART_ARGS`, and lists every acknowledged effect it cannot find.
 */
export async function crashCheck(args: string[], restartArgs: string[], started: ChildServer[]): Promise<CrashCheckResult> {
  const first = await startChildServer(args);
  started.push(first);
  const [admin, sim] = await Promise.all([tokenFor(first.url, 'intune-administrator'), tokenFor(first.url, 'sim-controller')]);
  const list = (await (await fetch(`${first.url}/beta/deviceManagement/managedDevices?$top=1000&$select=id`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { value: { id: string }[] };
  const ids = list.value.map((d) => d.id);
  if (ids.length === 0) throw new Error('the server under test has no devices (start it with --devices)');

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
  await first.exited;
  await load;

  const second = await startChildServer(restartArgs);
  started.push(second);
  const [admin2, sim2] = await Promise.all([tokenFor(second.url, 'intune-administrator'), tokenFor(second.url, 'sim-controller')]);
  const missing: string[] = [];
  for (const id of enrolled) {
    if ((await fetch(`${second.url}/sim/devices/${id}`, { headers: { authorization: `Bearer ${sim2}` } })).status !== 200) missing.push(`enrolled device ${id}`);
  }
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
  const clock = (await (await fetch(`${second.url}/sim/clock`, { headers: { authorization: `Bearer ${sim2}` } })).json()) as { now: string };
  const clockBehind = clockAcknowledged !== '' && Date.parse(clock.now) < Date.parse(clockAcknowledged);
  if (clockBehind) missing.push(`clock: ${clockAcknowledged} acknowledged, ${clock.now} after restart`);
  let acknowledgedActions = 0;
  for (const n of acknowledged.values()) acknowledgedActions += n;
  return { missing, acknowledgedActions, enrolled: enrolled.length, clockBehind, restartOutput: second.output() };
}