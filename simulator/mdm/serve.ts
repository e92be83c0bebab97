import { createAdaptorServer } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateFleet } from '../fleet-generator.js';
import { createApp } from './app.js';
import { ClientsFileError, createAuthConfig, loadClientsFile, type AuthConfig } from './auth.js';
import { defaultPushLatencyMs, ReferenceMdm } from './reference-mdm.js';
import { sliceOf, type ShardSpec } from './sharding/slices.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { withBufferedBody } from './buffered-request.js';
import { UsageError } from '../../contract/usage-error.js';

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
  /** File holding the HS256 key (`--signing-key-file`): shards behind one balancer share it, so any shard's token is good on all. */
  signingKeyFile?: string;
  maxBodyBytes?: number;
  /** Serve only slice `index` of `count` of the seeded fleet (`--shard k/N`, one of N servers behind a balancer). */
  shard?: ShardSpec;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  mdm: ReferenceMdm;
  auth: AuthConfig;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
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
  let signingKey = options.signingKey;
  if (options.signingKeyFile !== undefined) {
    try {
      signingKey = (await readFile(options.signingKeyFile, 'utf8')).trim();
    } catch (error) {
      throw new UsageError(`cannot read the signing key file ${options.signingKeyFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (signingKey.length < 16) throw new UsageError(`the signing key in ${options.signingKeyFile} is shorter than 16 characters`);
  }
  const auth = createAuthConfig({ ...(clients ? { clients } : {}), ...(signingKey ? { signingKey } : {}) });
  if (auth.builtIn && !isLoopback(options.host) && !options.allowNonLoopback) {
    throw new UsageError(
      `refusing to listen on ${options.host} with the built-in local credentials (anyone who can reach it could act as any role); use --clients FILE, or --allow-non-loopback if you mean it`,
    );
  }
  // --shard K/N: this server holds slice K of the seeded fleet; its devices keep their fleet-wide
  // push latency, and its audit numbers (hence audit ids) never collide with another shard's.
  const slice = options.shard ? sliceOf(options.shard.index, options.shard.count, options.devices) : { start: 0, count: options.devices };
  const stride = options.shard?.count ?? 1;
  const offset = options.shard?.index ?? 0;
  let audits = 0;
  const mdm = new ReferenceMdm({
    seed: options.seed,
    ...(options.shard
      ? {
          pushLatencyMs: (seq: number) => defaultPushLatencyMs(slice.start + seq, options.seed),
          auditNumber: () => audits++ * stride + offset,
          shardTag: options.shard.index,
        }
      : {}),
  });
  if (slice.count > 0) {
    for (const profile of generateFleet({ count: slice.count, seed: options.seed, startIndex: slice.start }, mdm.shardTag)) mdm.enroll(profile);
  }
  const app = createApp({ mdm, auth, ...(options.log ? { log: options.log } : {}), ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = createAdaptorServer({
    fetch: (request: Request, env: { incoming: { headers: IncomingMessage['headers']; resume(): unknown } }) => app.fetch(withBufferedBody(request, env.incoming, maxBodyBytes)),
    // The adapter's lightweight Request/Response (its default): a JSON answer is written from
    // the string Hono made, not read back through a ReadableStream. Process-wide, and transparent.
    overrideGlobalObjects: true,
  }) as Server;
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
