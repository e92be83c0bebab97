/**
 * List reads as admin tools make them: in pages of `top`, following @odata.nextLink, as any
 * role or none. The pages concatenated must equal the list read whole (no gaps, no repeats,
 * same order), hold every device the model enrolled, list actions newest first (ST-1), answer
 * nobody without a token (RB-3) and show no secret to a role that may not see it (TP-5).
 */
import { maySeeSecrets, type Actor } from './catalogue.js';
import type { Check } from './checks.js';
import type { DeviceModel } from './device-model.js';

export type ListName = 'managedDevices' | 'remoteActionAudits';

export interface ListRead {
  /** HTTP status of each page, in order. */
  statuses: number[];
  entries: Array<Record<string, unknown>>;
}

export interface ListGet {
  get(actor: Actor, path: string): Promise<{ status: number; body: unknown }>;
}

/** Reads a whole list page by page (at most 50 pages). */
export async function readList(io: ListGet, actor: Actor, list: ListName, top: number): Promise<ListRead> {
  const read: ListRead = { statuses: [], entries: [] };
  let path: string | undefined = `/${list}?$top=${top}`;
  for (let n = 0; path && n < 50; n++) {
    const reply = await io.get(actor, path);
    read.statuses.push(reply.status);
    if (reply.status !== 200) break;
    const body = reply.body as { value?: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
    read.entries.push(...(Array.isArray(body?.value) ? body.value : []));
    path = body?.['@odata.nextLink'];
  }
  return read;
}

const check = (requirement: string, what: string, ok: boolean, expected: string, observed: string): Check => ({ requirement, what, ok, expected, observed });

/** Judges a paged read against the same list read whole (both as `actor`). */
export function listChecks(list: ListName, actor: Actor, top: number, paged: ListRead, whole: ListRead, devices: readonly DeviceModel[], secrets: readonly string[]): Check[] {
  const who = actor ?? 'no token';
  const where = `${list} read ${top} at a time as ${who}`;
  if (actor === null) {
    return [check('RB-3', `HTTP status of ${list} without a token`, paged.statuses[0] === 401 && whole.statuses[0] === 401, '401', String(paged.statuses[0]))];
  }
  const checks: Check[] = [
    check('ST-1', `HTTP status of every page of ${where}`, paged.statuses.every((s) => s === 200) && whole.statuses.every((s) => s === 200), '200', paged.statuses.concat(whole.statuses).find((s) => s !== 200)?.toString() ?? '200'),
  ];
  if (!checks[0]!.ok) return checks;
  const ids = paged.entries.map((e) => e.id);
  const wholeIds = whole.entries.map((e) => e.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i).length;
  checks.push(check('ST-1', `entries repeated across the pages of ${where}`, repeated === 0, 'none', `${repeated} repeated`));
  const same = ids.length === wholeIds.length && ids.every((id, i) => id === wholeIds[i]);
  checks.push(check('ST-1', `${where}, pages concatenated`, same, `the whole list (${wholeIds.length} entries, same order)`, `${ids.length} entries${same ? '' : ', not the whole list in its order'}`));
  if (list === 'managedDevices') {
    const missing = devices.filter((d) => !d.wiped && !wholeIds.includes(d.id)).length;
    checks.push(check('ST-1', `enrolled devices missing from ${list} as ${who}`, missing === 0, 'none', `${missing} missing`));
  } else {
    const times = whole.entries.map((e) => String(e.requestDateTime));
    const newestFirst = times.every((t, i) => i === 0 || times[i - 1]! >= t);
    checks.push(check('ST-1', `${list} order`, newestFirst, 'newest first', newestFirst ? 'newest first' : 'out of order'));
  }
  // TP-5: secrets only for roles allowed to reset, and never in the Device actions list.
  const text = JSON.stringify(paged.entries);
  const leaked = secrets.some((s) => text.includes(s));
  if (list === 'remoteActionAudits' || !maySeeSecrets(actor)) {
    checks.push(check('TP-5', `temporary passcodes and PINs in ${where}`, !leaked, 'none', leaked ? 'a secret appears' : 'none'));
  }
  return checks;
}
