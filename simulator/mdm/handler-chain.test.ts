import { describe, expect, it } from 'vitest';
import { Hono, type MiddlewareHandler } from 'hono';
import type { H, RouterRoute } from 'hono/types';
import { AppRouter } from './router.js';

/** An app on the chained router: a marking middleware, an optional async one, and a few routes. */
function chainedApp(trail: string[]) {
  const router = new AppRouter<[H, RouterRoute]>();
  const app = new Hono({ router });
  router.chainWith(() => (error, c) => c.json({ error: error.message }, 418));
  const outer: MiddlewareHandler = (c, next) => {
    trail.push('outer before');
    const after = () => {
      trail.push('outer after');
      c.res.headers.set('x-outer', 'seen');
    };
    const rest: unknown = next();
    return (rest instanceof Promise ? rest.then(after) : after()) as Promise<void>;
  };
  app.use('*', outer);
  app.use('/slow/*', async (_c, next) => {
    trail.push('slow before');
    await new Promise((resolve) => setImmediate(resolve));
    await next();
    trail.push('slow after');
  });
  app.use('/deny/*', () => {
    throw new Error('denied before the route');
  });
  app.get('/items/:id', (c) => {
    trail.push('route');
    return c.json({ id: c.req.param('id') });
  });
  app.get('/slow/:id', (c) => c.text(`slow ${c.req.param('id')}`));
  app.get('/fails', () => {
    throw new Error('route failed');
  });
  app.get('/rejects', async () => {
    await Promise.resolve();
    throw new Error('route rejected');
  });
  app.get('/deny/x', (c) => c.text('never'));
  app.notFound((c) => c.json({ missing: c.req.path }, 404));
  return app;
}

describe('handler chain (AppRouter.chainWith)', () => {
  it('answers synchronously when every handler does, with the middleware around the route', () => {
    const trail: string[] = [];
    const res = chainedApp(trail).fetch(new Request('http://x/items/a%20b'));
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(200);
    expect((res as Response).headers.get('x-outer')).toBe('seen');
    expect(trail).toEqual(['outer before', 'route', 'outer after']);
  });

  it('reads the route parameter (decoded) behind middleware', async () => {
    const res = await chainedApp([]).fetch(new Request('http://x/items/a%20b'));
    expect(await res.json()).toEqual({ id: 'a b' });
  });

  it('keeps the order when a middleware awaits', async () => {
    const trail: string[] = [];
    const pending = chainedApp(trail).fetch(new Request('http://x/slow/7'));
    expect(pending).toBeInstanceOf(Promise);
    const res = await pending;
    expect(await res.text()).toBe('slow 7');
    expect(res.headers.get('x-outer')).toBe('seen');
    expect(trail).toEqual(['outer before', 'slow before', 'slow after', 'outer after']);
  });

  it('sends a route error to onError, and the middleware sees that answer', async () => {
    const res = (await chainedApp([]).fetch(new Request('http://x/fails'))) as Response;
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: 'route failed' });
    expect(res.headers.get('x-outer')).toBe('seen');
  });

  it('sends a rejected route promise to onError', async () => {
    const res = await chainedApp([]).fetch(new Request('http://x/rejects'));
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: 'route rejected' });
    expect(res.headers.get('x-outer')).toBe('seen');
  });

  it('stops at a middleware that throws: the route does not run', async () => {
    const trail: string[] = [];
    const res = await chainedApp(trail).fetch(new Request('http://x/deny/x'));
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: 'denied before the route' });
    expect(trail).toEqual(['outer before', 'outer after']);
  });

  it('answers 404 from the not-found handler inside the middleware when no route matches', async () => {
    const trail: string[] = [];
    const res = await chainedApp(trail).fetch(new Request('http://x/nothing/here'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ missing: '/nothing/here' });
    expect(res.headers.get('x-outer')).toBe('seen');
    expect(trail).toEqual(['outer before', 'outer after']);
  });
});
