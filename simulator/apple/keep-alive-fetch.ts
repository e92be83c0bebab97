/**
 * The agents' transport for large fleets: node:http(s) over a keep-alive agent. Thousands of
 * devices each send a few small PUTs; through the global fetch (undici) every request builds a
 * Request, Headers and a stream, about as much CPU as the signing itself. This sends the same
 * bytes with the same headers and hands back a standard Response.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Fetch } from './agent.js';

export function keepAliveFetch(maxSockets = 64): Fetch & { close(): void } {
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  const send: Fetch = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        { method: init.method, headers: { ...init.headers, 'content-length': String(init.body.length) }, agent: secure ? https : http },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 500;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers: res.headers as Record<string, string> }));
          });
          res.on('error', reject);
        },
      );
      // The same shape of failure as fetch's, so AgentError names the cause (ECONNREFUSED...).
      req.on('error', (error) => reject(Object.assign(new TypeError('fetch failed'), { cause: error })));
      req.end(init.body);
    });
  return Object.assign(send, {
    close() {
      http.destroy();
      https.destroy();
    },
  });
}
