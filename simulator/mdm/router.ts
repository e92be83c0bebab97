import type { Context, Next } from 'hono';
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/** `/:name/...` with plain parameters only (no `{regex}`, no wildcard). */
const ROOT_PARAM_ROUTE = /^\/:[A-Za-z0-9_]+(?:\/(?::[A-Za-z0-9_]+|[^:{}*/]+))*$/;

/** The segments of a plain route pattern as a regular expression over the request path. */
function pathRegExp(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The app's router: Hono's default (RegExpRouter, falling back to TrieRouter), except that a
 * route whose first segment is a parameter (`POST /:tenant/oauth2/v2.0/token`) is added as a
 * guarded `/*` handler at the same place in the handler order. RegExpRouter cannot compile a
 * root parameter beside literal first segments (`/v1.0`, `/sim`, ...), and without this the
 * whole app would fall back to the TrieRouter, several times slower per request. Such a route's
 * handler must not read its parameters by name (the token endpoint does not).
 *
 * `app.routes` still lists the route as registered (Hono records it before calling `add`).
 */
export class AppRouter<T> implements Router<T> {
  readonly name = 'AppRouter';
  readonly #inner = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] });

  add(method: string, path: string, handler: T): void {
    if (ROOT_PARAM_ROUTE.test(path) && Array.isArray(handler) && typeof handler[0] === 'function') {
      const regex = pathRegExp(path);
      const inner = handler[0] as (c: Context, next: Next) => unknown;
      const guarded = async (c: Context, next: Next) => {
        if (regex.test(c.req.path)) return inner(c, next);
        await next();
        return undefined;
      };
      this.#inner.add(method, '/*', [guarded, ...handler.slice(1)] as T);
      return;
    }
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    return this.#inner.match(method, path);
  }

  /** The router SmartRouter settled on (after the first match). */
  get activeRouter(): Router<T> {
    return this.#inner.activeRouter;
  }
}
