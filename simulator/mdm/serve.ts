import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateFleet } from '../fleet-generator.js';
import { createApp } from './app.js';
import { ClientsFileError, createAuthConfig, loadClientsFile, type AuthConfig } from './auth.js';
import { ReferenceMdm } from './reference-mdm.js';

/** A bad command line or option; the message is one line for the user. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ServeOptions {
  port: number;
  host: string;
  /** Devices of a generated fleet to enroll at start (seed `seed`). */
  devices: number;
  seed: number;
  clock: 'real' | 'manual';
  /** JSON clients file replacing the built-in local clients. */
  clientsFile?: string;
  /** Listen on a non-loopback address even with the built-in credentials. */
  allowNonLoopback?: boolean;
  log?: (line: string) => void;
  /** HS256 key for access tokens (random per start by default). */
  signingKey?: string;
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  mdm: ReferenceMdm;
  auth: AuthConfig;
}

export const SERVE_USAGE = `lockstep serve [--port N] [--host ADDR] [--devices N] [--seed S] [--clock real|manual] [--clients FILE] [--allow-non-loopback]

  --port N               port to listen on (default 4000; 0 picks a free one)
  --host ADDR            address to listen on (default 127.0.0.1)
  --devices N            enroll a generated fleet of N devices at start (default 0)
  --seed S               fleet and simulation seed (default 1)
  --clock real|manual    simulated time follows the wall clock, or moves only by POST /sim/clock (default real)
  --clients FILE         JSON [{"clientId","clientSecret","role"}] replacing the built-in local clients
  --allow-non-loopback   listen on a non-loopback address even with the built-in credentials`;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} needs an integer from ${min} to ${max}${text === undefined ? '' : `, got '${text}'`}`);
  }
  return Number(text);
}

/** Parses `serve` flags; `{ help: true }` for --help. Throws UsageError with a one-line message. */
export function parseServeArgs(argv: readonly string[]): ServeOptions & { help?: boolean } {
  const options: ServeOptions & { help?: boolean } = { port: 4000, host: '127.0.0.1', devices: 0, seed: 1, clock: 'real' };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    if (seen.has(flag)) throw new UsageError(`${flag} is given more than once`);
    seen.add(flag);
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--port':
        options.port = integer('--port', value(), 0, 65535);
        break;
      case '--host': {
        const host = value();
        if (host.trim() === '') throw new UsageError('--host needs an address');
        options.host = host;
        break;
      }
      case '--devices':
        options.devices = integer('--devices', value(), 0, 1_000_000);
        break;
      case '--seed':
        options.seed = integer('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--clock': {
        const clock = value();
        if (clock !== 'real' && clock !== 'manual') throw new UsageError(`--clock must be real or manual, got '${clock}'`);
        options.clock = clock;
        break;
      }
      case '--clients':
        options.clientsFile = value();
        break;
      case '--allow-non-loopback':
        if (inline !== undefined) throw new UsageError('--allow-non-loopback takes no value');
        options.allowNonLoopback = true;
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${flag} (see lockstep serve --help)` : `unexpected argument '${arg}' (see lockstep serve --help)`);
    }
  }
  return options;
}

/** Starts the mock MDM over HTTP; resolves once it is listening. Prints nothing itself (only via `log`). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  let clients;
  if (options.clientsFile !== undefined) {
    try {
      clients = await loadClientsFile(options.clientsFile);
    } catch (error) {
      if (error instanceof ClientsFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  const auth = createAuthConfig({ ...(clients ? { clients } : {}), ...(options.signingKey ? { signingKey: options.signingKey } : {}) });
  if (auth.builtIn && !isLoopback(options.host) && !options.allowNonLoopback) {
    throw new UsageError(
      `refusing to listen on ${options.host} with the built-in local credentials (anyone who can reach it could act as any role); use --clients FILE, or --allow-non-loopback if you mean it`,
    );
  }
  const mdm = new ReferenceMdm({ seed: options.seed });
  if (options.devices > 0) {
    for (const profile of generateFleet({ count: options.devices, seed: options.seed })) mdm.enroll(profile);
  }
  const app = createApp({ mdm, auth, ...(options.log ? { log: options.log } : {}), ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) });
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new UsageError(`cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
  if (options.clock === 'real') mdm.clock.startRealTime();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    mdm,
    auth,
    close() {
      closing ??= new Promise<void>((resolve) => {
        mdm.clock.stopRealTime();
        server.close(() => resolve());
        // Event streams never end on their own; idle keep-alive sockets neither.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
