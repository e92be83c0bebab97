import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { createApp } from '../simulator/mdm/app.js';
import { createAuthConfig } from '../simulator/mdm/auth.js';
import { ReferenceMdm } from '../simulator/mdm/reference-mdm.js';
import { AppleFleetWire } from '../simulator/apple/fleet-wire.js';
import { randomBytes } from 'node:crypto';
import type { AppleFacet } from '../scenarios/apple-dsl.js';
import { ReferenceAppleFacet } from './apple/reference-facet.js';
import { onTransitions } from '../simulator/device-runtime.js';
import { transitionCoverage } from '../simulator/model-graph.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';
import { LockstepClient, TargetError, type Credentials } from './client.js';
import type { RunResult, TransitionCoverage } from '../contract/result-model.js';

export interface Target {
  client: LockstepClient;
  description: RunResult['target'];
  /** Machine transitions the run exercised (embedded target only). */
  transitionCoverage?: () => TransitionCoverage[];
  /** The in-process reference, for tools that watch it (embedded target only). */
  mdm?: ReferenceMdm;
  /** Simulated Apple devices on the target's Apple MDM protocol (the apple-mdm area); absent where there is none. */
  apple?: AppleFacet;
  close(): Promise<void>;
}

/** The origin msw answers for the embedded target; no socket is opened. */
export const EMBEDDED_ORIGIN = 'http://lockstep.embedded';

export interface EmbeddedOptions {
  seed: number;
  /** Wraps the app's fetch, e.g. to build a deliberately wrong MDM in tests. */
  wrapFetch?: (fetch: (request: Request) => Promise<Response>, mdm: ReferenceMdm) => (request: Request) => Promise<Response>;
  recordCoverage?: boolean;
}

/** The reference MDM in-process: msw routes the client's fetch calls to the Hono app. */
export async function embeddedTarget(options: EmbeddedOptions): Promise<Target> {
  const mdm = new ReferenceMdm({ seed: options.seed, appleWire: await AppleFleetWire.create(options.seed) });
  const appleApiKey = randomBytes(16).toString('hex');
  const app = createApp({ mdm, auth: createAuthConfig(), appleApiKey });
  const appFetch = async (request: Request) => app.fetch(request);
  const inner = options.wrapFetch ? options.wrapFetch(appFetch, mdm) : appFetch;
  // In-process answers settle in microtasks, so a long scenario would starve timers and key
  // presses (the terminal UI); every so often, let the event loop run.
  let answered = 0;
  const handle = async (request: Request) => {
    if (++answered % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    return inner(request);
  };
  const server = setupServer(
    http.all(`${EMBEDDED_ORIGIN}/*`, ({ request }) => handle(request)),
    http.all('*', () => passthrough()),
  );
  server.listen({ onUnhandledRequest: 'bypass' });

  const taken = new Map<VariantKey, Set<string>>();
  if (options.recordCoverage) {
    onTransitions((variant, id) => {
      let set = taken.get(variant);
      if (!set) taken.set(variant, (set = new Set()));
      set.add(id);
    });
  }
  const client = new LockstepClient({ baseUrl: EMBEDDED_ORIGIN });
  return {
    client,
    description: { kind: 'embedded' },
    mdm,
    apple: new ReferenceAppleFacet({ client, fetch: (input, init) => globalThis.fetch(input, init), apiKey: appleApiKey, seed: options.seed }),
    ...(options.recordCoverage
      ? {
          transitionCoverage: () =>
            VARIANT_KEYS.map((variant) => ({ variant, ...transitionCoverage(variant, taken.get(variant) ?? new Set()) })),
        }
      : {}),
    async close() {
      if (options.recordCoverage) onTransitions(null);
      server.close();
    },
  };
}

/** Any server that speaks the contract; fails fast with a clear message when it cannot be reached. */
export async function httpTarget(url: string, credentials?: Credentials, requestTimeoutMs?: number): Promise<Target> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetError(`--target '${url}' is not a URL like http://127.0.0.1:4000`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TargetError(`--target must be an http:// or https:// URL, not ${parsed.protocol}`);
  const client = new LockstepClient({
    baseUrl: parsed.origin + parsed.pathname.replace(/\/+$/, ''),
    ...(credentials ? { credentials } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
  });
  await client.token('sim-controller');
  return { client, description: { kind: 'http', url: client.baseUrl }, async close() {} };
}
