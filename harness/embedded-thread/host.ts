import type { MessagePort } from 'node:worker_threads';
import { onTransitions } from '../../simulator/device-runtime.js';
import { createApp } from '../../simulator/mdm/app.js';
import { createAuthConfig } from '../../simulator/mdm/auth.js';
import { ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import { AppleFleetWire } from '../../simulator/apple/fleet-wire.js';
import type { FromThread, ThreadInit, ToThread } from './protocol.js';

type Port = Pick<MessagePort, 'on' | 'postMessage'>;

/**
 * The embedded reference MDM behind a message port: each request message is answered by the
 * Hono app, with the transitions first taken since the previous answer. Runs in a worker
 * thread (worker.ts) so the MDM's long synchronous stretches (a clock move that checks in
 * thousands of devices) never hold up the run's terminal UI.
 */
export async function hostEmbedded(port: Port, init: ThreadInit, close: () => void): Promise<void> {
  const mdm = new ReferenceMdm({ seed: init.seed, appleWire: await AppleFleetWire.create(init.seed) });
  const app = createApp({ mdm, auth: createAuthConfig(), appleApiKey: init.appleApiKey });
  const seen = new Set<string>();
  let fresh: [string, string][] = [];
  if (init.recordCoverage) {
    onTransitions((variant, id) => {
      const key = `${variant}\u0000${id}`;
      if (seen.has(key)) return;
      seen.add(key);
      fresh.push([variant, id]);
    });
  }
  port.on('message', (message: ToThread) => {
    if (message.type === 'stop') {
      if (init.recordCoverage) onTransitions(null);
      close();
      return;
    }
    const request = new Request(message.url, {
      method: message.method,
      headers: message.headers,
      ...(message.body !== null && message.method !== 'GET' && message.method !== 'HEAD' ? { body: message.body } : {}),
    });
    void (async () => {
      let reply: FromThread;
      try {
        const response = await app.fetch(request);
        reply = { type: 'response', id: message.id, status: response.status, headers: [...response.headers], body: await response.text() };
      } catch (error) {
        reply = { type: 'response', id: message.id, status: 500, headers: [['content-type', 'text/plain']], body: `embedded target failed: ${String(error)}` };
      }
      if (fresh.length) {
        reply.taken = fresh;
        fresh = [];
      }
      port.postMessage(reply);
    })();
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
}
