/**
 * Lists read the way admin tools read them: in small pages, filtered, and without
 * credentials. Pages concatenated must equal the whole list (same order, no gaps or repeats),
 * the Device actions list newest first (ST-1); no list answers without a token (RB-3).
 */
import { GRAPH_ROLE_NAMES } from '../contract/roles.js';
import { scenario, type Device, type Scenario, type ScenarioContext } from './dsl.js';
import { actAndDeliver, ADMIN } from './steps.js';

interface Page {
  value?: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

/** Follows @odata.nextLink from `first`; the entries in order, or null when a page did not answer 200. */
async function readPages(t: ScenarioContext, first: string, limit = 50): Promise<Array<Record<string, unknown>> | null> {
  const out: Array<Record<string, unknown>> = [];
  let path: string | undefined = first;
  for (let n = 0; path && n < limit; n++) {
    const reply = await t.as(ADMIN).get(path);
    if (reply.status !== 200) return null;
    const page = reply.body as Page;
    out.push(...(page.value ?? []));
    path = page['@odata.nextLink'];
  }
  return out;
}

function repeats(ids: readonly unknown[]): string {
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  return twice.length ? `${twice.length} repeated` : 'none repeated';
}

const pagedDevices = scenario({
  id: 'lists/managed-devices/paged-equals-whole',
  title: 'managedDevices read two at a time, filtered by name, equals the same list read whole: same devices, same order',
  area: 'action-status',
  requirements: ['ST-1'],
  tags: ['lists', 'paging', 'filter'],
  async run(t) {
    // A name only this run's devices carry, so other scenarios' devices stay out of the list.
    const probe = await t.enroll({ variant: 'ae-fully-managed' });
    const name = `lists-${probe.id}`;
    const mine: Device[] = [];
    for (const variant of ['ae-fully-managed', 'ios-device', 'macos', 'windows', 'aosp-userless'] as const) mine.push(await t.enroll({ variant, deviceName: name }));
    const filter = `$filter=${encodeURIComponent(`deviceName eq '${name}'`)}`;
    const whole = await readPages(t, `/managedDevices?${filter}&$top=100`);
    const paged = await readPages(t, `/managedDevices?${filter}&$top=2`);
    if (!t.checkThat('ST-1', 'every page of the filtered managedDevices list answered', whole !== null && paged !== null, 'HTTP 200 on every page', 'a page failed') || !whole || !paged) return;
    const wholeIds = whole.map((d) => d.id);
    const pagedIds = paged.map((d) => d.id);
    t.check('ST-1', 'devices in the filtered list', [...wholeIds].sort(), mine.map((d) => d.id).sort());
    t.check('ST-1', 'devices read two at a time, in order', pagedIds, wholeIds);
    t.check('ST-1', 'devices repeated across pages', repeats(pagedIds), 'none repeated');
  },
});

const pagedAudits = scenario({
  id: 'lists/remote-action-audits/paged-newest-first',
  title: 'The Device actions list of one device, read one entry at a time, equals the whole list, newest first',
  area: 'action-status',
  requirements: ['ST-1'],
  tags: ['lists', 'paging', 'filter', 'ae-fully-managed'],
  variant: 'ae-fully-managed',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    // Three actions of two kinds, one after the other: two resets, then a lock.
    for (const action of ['resetPasscode', 'resetPasscode', 'remoteLock'] as const) {
      const { state } = await actAndDeliver(t, 'ST-1', d, action);
      t.check('ST-1', `actionState of ${action}`, state, 'done');
      // The user unlocks with what the admin was shown, so the next action meets an unlocked device.
      const shown = (await t.as(ADMIN).actionResult(d, 'resetPasscode'))?.passcode;
      if (action === 'resetPasscode' && shown) await t.event(d, { type: 'enterPasscode', passcode: shown });
    }
    const filter = `$filter=${encodeURIComponent(`managedDeviceId eq '${d.id}'`)}`;
    const whole = await readPages(t, `/remoteActionAudits?${filter}&$top=100`);
    const paged = await readPages(t, `/remoteActionAudits?${filter}&$top=1`);
    if (!t.checkThat('ST-1', 'every page of the filtered Device actions list answered', whole !== null && paged !== null, 'HTTP 200 on every page', 'a page failed') || !whole || !paged) return;
    t.check('ST-1', 'entries of the device in the Device actions list', whole.map((a) => a.action), ['remoteLock', 'resetPasscode', 'resetPasscode']);
    t.check('ST-1', 'entries read one at a time, in order', paged.map((a) => a.id), whole.map((a) => a.id));
    const times = whole.map((a) => String(a.requestDateTime));
    t.check('ST-1', 'request times, newest first', times, [...times].sort().reverse());
  },
});

const unauthenticatedLists = scenario({
  id: 'lists/no-token/every-read-refused',
  title: 'Without a token every read is refused (401): the device, the managedDevices list, the Device actions list; every role reads the lists',
  area: 'action-status',
  requirements: ['RB-3'],
  tags: ['lists', 'roles', 'no-token'],
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device' });
    for (const path of [`/managedDevices/${d.id}`, '/managedDevices?$top=5', `/remoteActionAudits?$top=5`, `/remoteActionAudits?$filter=${encodeURIComponent(`managedDeviceId eq '${d.id}'`)}`]) {
      t.check('RB-3', `HTTP status of GET ${path.split('?')[0]} without a token`, (await t.as(null).get(path)).status, 401);
    }
    // Every Graph role reads the lists, the Read Only Operator included (RB-3).
    for (const role of GRAPH_ROLE_NAMES) {
      for (const list of ['managedDevices', 'remoteActionAudits']) {
        t.check('RB-3', `HTTP status of GET ${list} as ${role}`, (await t.as(role).get(`/${list}?$top=5`)).status, 200);
      }
    }
  },
});

export const LIST_SCENARIOS: readonly Scenario[] = [pagedDevices, pagedAudits, unauthenticatedLists];
