/**
 * The Hono ceiling: the smallest JSON route, served by @hono/node-server on a free loopback port,
 * at `/x` and on the reset's path (so the ceiling can be loaded with the reset's own request mix).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { failChild, onStop } from '../lib/children.js';

try {
  const app = new Hono();
  app.post('/x', (c) => c.json({ ok: true }));
  app.post('/v1.0/deviceManagement/managedDevices/:id/resetPasscode', (c) => c.json({ ok: true }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
    process.send!({ type: 'ready', url: `http://127.0.0.1:${info.port}` });
  });
  onStop(() => new Promise<void>((resolve) => server.close(() => resolve())));
} catch (error) {
  failChild(error);
}
