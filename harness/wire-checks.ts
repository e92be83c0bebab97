/**
 * Wire checks: what a real Graph client relies on before any route's meaning, checked over HTTP
 * against a served MDM. Graph's 401 code and error shape; links that name the origin the client
 * used behind a proxy (the target must trust X-Forwarded-*); a 429 that says when to come back.
 */
export interface WireProblem {
  check: 'unauthorized' | 'forwarded-links' | 'throttle';
  problem: string;
}

export interface WireCheckOptions {
  /** The origin a proxy in front says it serves, sent as X-Forwarded-Proto/Host. */
  forwardedOrigin?: string;
  /** Requests to send in a burst to meet the throttle (0 skips the throttle check). */
  burst?: number;
  /** A bearer token for the burst and the list (from the target's token endpoint). */
  token: string;
}

const DEVICES = '/v1.0/deviceManagement/managedDevices';

export async function checkWire(url: string, options: WireCheckOptions): Promise<WireProblem[]> {
  const problems: WireProblem[] = [];
  const add = (check: WireProblem['check'], problem: string) => problems.push({ check, problem });

  const denied = await fetch(url + DEVICES, { headers: { 'client-request-id': 'wire-check-401' } });
  const body = (await denied.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | null;
  if (denied.status !== 401) add('unauthorized', `no token: HTTP ${denied.status}, not 401`);
  else if (body?.error?.code !== 'InvalidAuthenticationToken') add('unauthorized', `401 with code ${JSON.stringify(body?.error?.code)}, not Graph's InvalidAuthenticationToken`);
  else {
    const inner = body.error.innerError ?? {};
    if (typeof body.error.message !== 'string' || body.error.message === '') add('unauthorized', '401 without error.message');
    if (inner['request-id'] !== denied.headers.get('request-id')) add('unauthorized', "401's innerError.request-id is not its request-id header");
    if (inner['client-request-id'] !== 'wire-check-401') add('unauthorized', "401's innerError does not echo client-request-id");
    if (typeof inner.date !== 'string' || Number.isNaN(Date.parse(inner.date))) add('unauthorized', "401's innerError.date is not a date");
  }

  const auth = { authorization: `Bearer ${options.token}` };
  if (options.forwardedOrigin) {
    const origin = new URL(options.forwardedOrigin);
    const forwarded = { ...auth, 'x-forwarded-proto': origin.protocol.slice(0, -1), 'x-forwarded-host': origin.host };
    const page = await fetch(`${url}${DEVICES}?$top=1`, { headers: forwarded });
    const link = ((await page.json().catch(() => null)) as { '@odata.nextLink'?: unknown } | null)?.['@odata.nextLink'];
    if (typeof link !== 'string') add('forwarded-links', `a page of one device (HTTP ${page.status}) has no @odata.nextLink`);
    else if (new URL(link).origin !== origin.origin) add('forwarded-links', `@odata.nextLink names ${new URL(link).origin}, not the forwarded origin ${origin.origin}`);
  }

  if (options.burst) {
    const replies = await Promise.all(Array.from({ length: options.burst }, () => fetch(`${url}${DEVICES}?$top=1&$select=id`, { headers: auth })));
    const throttled = replies.find((r) => r.status === 429);
    await Promise.all(replies.map((r) => r.arrayBuffer()));
    if (!throttled) add('throttle', `a burst of ${options.burst} got no 429`);
    else {
      const retryAfter = throttled.headers.get('retry-after');
      if (retryAfter === null || !/^\d+$/.test(retryAfter) || Number(retryAfter) < 1) add('throttle', `429 with Retry-After ${JSON.stringify(retryAfter)}, not whole seconds >= 1`);
      const again = await fetch(`${url}${DEVICES}?$top=1`, { headers: auth });
      const code = ((await again.json().catch(() => null)) as { error?: { code?: unknown } } | null)?.error?.code;
      if (again.status === 429 && code !== 'TooManyRequests') add('throttle', `429 with code ${JSON.stringify(code)}, not TooManyRequests`);
    }
  }
  return problems;
}
