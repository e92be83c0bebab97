import type { Context, ErrorHandler, Next } from 'hono';
import type { Result, Router } from 'hono/router';
import { chainHandlers, type ChainHandler } from './handler-chain.js';
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
 *
 * With `chainWith(onError)`, a match of several handlers is answered as one chained handler
 * (handler-chain.ts), so Hono takes its single-handler path: no promise per middleware, and a
 * synchronous answer stays synchronous. Parameters of all the matched routes are merged (no
 * two of the app's matching routes name the same parameter).
 */
export class AppRouter<T> implements Router<T> {
  readonly name = 'AppRouter';
  readonly #inner = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] });
  #onError: (() => ErrorHandler) | null = null;
  /** One chained entry per matched handler list (RegExpRouter returns the same list for a route every time). */
  readonly #chained = new WeakMap<object, Result<T>[0]>();

  /** Chain matched handlers, sending each one's errors to the handler `onError` returns (the app's `onError`). */
  chainWith(onError: () => ErrorHandler): void {
    this.#onError = onError;
  }

  add(method: string, path: string, handler: T): void {
    if (ROOT_PARAM_ROUTE.test(path) && Array.isArray(handler) && typeof handler[0] === 'function') {
      const regex = pathRegExp(path);
      const inner = handler[0] as (c: Context, next: Next) => unknown;
      const guarded = (c: Context, next: Next) => {
        if (regex.test(c.req.path)) return inner(c, next);
        const rest: unknown = next();
        return rest instanceof Promise ? rest.then(() => undefined) : undefined;
      };
      this.#inner.add(method, '/*', [guarded, ...handler.slice(1)] as T);
      return;
    }
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const result = this.#inner.match(method, path);
    const onError = this.#onError;
    if (onError === null || result[0].length < 2) return result;
    let chained = this.#chained.get(result[0]);
    if (!chained) {
      const entries = result[0] as unknown as Array<[[ChainHandler, unknown], Record<string, unknown>]>;
      const handler = chainHandlers(entries.map((e) => e[0][0]), onError);
      const params = Object.assign({}, ...entries.map((e) => e[1])) as Record<string, unknown>;
      chained = [[[handler, entries[entries.length - 1]![0][1]], params]] as unknown as Result<T>[0];
      this.#chained.set(result[0], chained);
    }
    return (result.length > 1 ? [chained, result[1]] : [chained]) as Result<T>;
  }

  /** The router SmartRouter settled on (after the first match). */
  get activeRouter(): Router<T> {
    return this.#inner.activeRouter;
  }
}
