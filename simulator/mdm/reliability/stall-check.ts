/**
 * The no-stalls check, for the right server and for wrong ones: a large fleet post is answered
 * 202 at once and other requests are answered while it is enrolled; then the first `$filter` on
 * a field (an index build) and a scanning filter each let a request sent after them be answered
 * first. Ordering, not timing: a stall answers the other request after the long one.
 */
import type { TestServer } from '../test-support/server.js';

/** What the server got wrong, in words (empty: no stall found). */
export async function stallProblems(s: TestServer, fleet: number): Promise<string[]> {
  const problems: string[] = [];
  const post = await s.sim('POST', '/sim/fleet', { count: fleet, seed: 5 });
  const location = post.headers.get('location');
  if (post.status !== 202 || !location?.startsWith('/sim/operations/')) {
    problems.push(`POST /sim/fleet of ${fleet} devices answered ${post.status}, not 202 with an operation`);
  } else {
    let answeredWhileRunning = 0;
    for (;;) {
      const op = await s.sim('GET', location);
      if (op.status !== 200 || op.body.status === 'failed') {
        problems.push(`the fleet operation answered ${op.status} ${String(op.body?.status)}`);
        break;
      }
      if (op.body.status === 'succeeded') break;
      const other = await s.req('helpdesk-operator', 'GET', '/beta/deviceManagement/managedDevices?$top=1');
      if (other.status !== 200) problems.push(`a list during the operation answered ${other.status}`);
      if ((await s.sim('GET', location)).body.status !== 'succeeded') answeredWhileRunning++;
    }
    if (answeredWhileRunning <= 3) problems.push(`only ${answeredWhileRunning} requests were answered while the fleet was enrolled`);
  }
  if (s.mdm.size < fleet) problems.push(`${s.mdm.size} devices enrolled, not ${fleet}`);

  for (const filter of ["deviceName eq 'nobody'", "startswith(deviceName,'zzz')"]) {
    const order: string[] = [];
    const filtered = s.req('helpdesk-operator', 'GET', `/beta/deviceManagement/managedDevices?$filter=${filter}&$count=true`).then((r) => {
      order.push('filter');
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 1));
    const clock = s.sim('GET', '/sim/clock').then((r) => {
      order.push('clock');
      return r;
    });
    const [f, k] = await Promise.all([filtered, clock]);
    if (f.status !== 200 || k.status !== 200 || f.body['@odata.count'] !== 0) problems.push(`$filter=${filter} answered ${f.status} (count ${String(f.body?.['@odata.count'])}), the clock ${k.status}`);
    if (order[0] !== 'clock') problems.push(`$filter=${filter} held a request sent after it`);
  }
  return problems;
}
