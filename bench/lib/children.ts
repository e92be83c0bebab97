import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A forked bench helper: it sends `{ type: 'ready', ... }` once it is up. */
export interface Child<Ready> {
  process: ChildProcess;
  ready: Ready;
  /** Sends a message and waits for the next reply of type `replyType`. */
  ask<T>(message: Record<string, unknown>, replyType: string): Promise<T>;
  stop(): Promise<void>;
}

/** Forks `children/<name>.js` (next to this file's directory) and waits for its ready message. */
export async function forkChild<Ready>(name: string, args: string[] = [], execArgv: string[] = []): Promise<Child<Ready>> {
  const script = fileURLToPath(new URL(`../children/${name}.js`, import.meta.url));
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type?: string; error?: string }) => {
        if (m?.type === 'error') {
          cleanup();
          reject(new Error(`${name}: ${m.error}`));
        } else if (m?.type === type) {
          cleanup();
          resolve(m as T);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${name} exited (${code}) before answering`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await waitFor<Ready>('ready');
  return {
    process: child,
    ready,
    ask<T>(message: Record<string, unknown>, replyType: string) {
      const reply = waitFor<T>(replyType);
      child.send(message);
      return reply;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For children: report an error to the parent and exit. */
export function failChild(error: unknown): never {
  process.send?.({ type: 'error', error: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
}

/** For children: stop when the parent says so or goes away. */
export function onStop(stop: () => Promise<void> | void): void {
  const done = async () => {
    await stop();
    process.exit(0);
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void done();
  });
  process.on('disconnect', () => void done());
}
