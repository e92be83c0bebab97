import type { Context, ErrorHandler } from 'hono';

/** A matched handler as Hono calls it: `next` runs the rest of the chain. */
export type ChainHandler = (c: Context, next: () => unknown) => unknown;

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * A route's matched handlers (middleware first, the route last) run as one handler, with Hono's
 * compose semantics: each level's error goes to `onError` there, a handler's returned response
 * is kept unless one is already final, and past the last handler comes `next` (the app's 404).
 * Unlike Hono's compose, a level that returns synchronously costs no promise: when every
 * handler answers at once, so does the chain, and @hono/node-server writes the answer without
 * awaiting it. Middleware must call `next()` and may await it or take a returned promise.
 * Returns the final response (or a promise of it), or undefined when none was set.
 */
export function chainHandlers(handlers: readonly ChainHandler[], onError: () => ErrorHandler): ChainHandler {
  return (c, next) => {
    const done = run(handlers, 0, c, next, onError);
    return isPromise(done) ? done.then(() => finalResponse(c)) : finalResponse(c);
  };
}

const finalResponse = (c: Context): unknown => (c.finalized ? c.res : undefined);

function run(handlers: readonly ChainHandler[], i: number, c: Context, last: () => unknown, onError: () => ErrorHandler): unknown {
  if (i === handlers.length) return last();
  let result: unknown;
  try {
    result = handlers[i]!(c, () => run(handlers, i + 1, c, last, onError));
  } catch (error) {
    return recover(error, c, onError);
  }
  if (isPromise(result)) return result.then((value) => keep(value, c, false), (error: unknown) => recover(error, c, onError));
  keep(result, c, false);
  return undefined;
}

function keep(value: unknown, c: Context, isError: boolean): void {
  if (value instanceof Response && (!c.finalized || isError)) c.res = value;
}

function recover(error: unknown, c: Context, onError: () => ErrorHandler): unknown {
  if (!(error instanceof Error)) throw error;
  c.error = error;
  const answer = onError()(error, c);
  if (isPromise(answer)) return answer.then((value) => keep(value, c, true));
  keep(answer, c, true);
  return undefined;
}
