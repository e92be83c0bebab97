import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateFleet } from '../fleet-generator.js';

/** Devices generated per batch at start (generateFleet takes at most 1 000 000 at a time). */
const FLEET_BATCH = 250_000;
import { createApp } from './app.js';
import { ClientsFileError, createAuthConfig, loadClientsFile, type AuthConfig } from './auth.js';
import { defaultPushLatencyMs, ReferenceMdm } from './reference-mdm.js';
import { AppleFleetWire } from '../apple/fleet-wire.js';
import { loadOrCreateCa, type RunCa } from '../apple/identity.js';
import { sliceOf, type ShardSpec } from './sharding/slices.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { withBufferedBody } from './buffered-request.js';
import { UsageError } from '../../contract/usage-error.js';
import { AdmissionGuard, type AdmissionOptions } from './admission/http-guard.js';
import { FleetOperations, type FleetSlice } from './bulk/fleet-operations.js';
import { Journal, MetaMismatch } from './durable/journal.js';
import { journaledFetch, replayJournal } from './durable/journaled-fetch.js';
import { tlsMaterial, type TlsSetting } from './tls.js';
import type { ThrottleSpec } from './throttle/throttle.js';


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
  /** Keep state in SQLite in this directory (`--data-dir`): a restart resumes the fleet. */
  dataDir?: string;
  /** Largest fleet (`--max-devices`). */
  maxDevices?: number;
  /** Fleet posts over this many devices are answered as an operation (tests; 10 000). */
  syncFleetLimit?: number;
  /** Requests in flight at once before 429 (`--max-in-flight`). */
  maxInFlight?: number;
  /** Open connections before 503 (`--max-connections`). */
  maxConnections?: number;
  /** Admission limits and timeouts beyond the flags (tests). */
  admission?: AdmissionOptions;
  /** Event-stream subscribers at once (64). */
  maxSubscribers?: number;
  /** Audit retention window and count (tests; defaults in reference-mdm.ts). */
  auditRetentionMs?: number;
  maxAudits?: number;
  /** Serve HTTPS (`--tls`, `--tls-cert/--tls-key`). */
  tls?: TlsSetting;
  /** The origin every URL in answers carries (`--public-url`), e.g. behind a proxy. */
  publicUrl?: string;
  /** Take the origin from X-Forwarded-Proto / X-Forwarded-Host (`--trust-forwarded`). */
  trustForwarded?: boolean;
  /** Graph-style throttling of the management API per client (`--throttle`). */
  throttle?: ThrottleSpec;
  /** The throttle's wall clock in ms (default Date.now); tests inject one so nothing sleeps. */
  throttleClock?: () => number;
  /** `wire` (default): Apple devices take commands over the Apple MDM protocol; `direct`: in-process, no Apple endpoint. */
  appleCommands?: 'wire' | 'direct';
  /** Where the CA that PUT /mdm trusts is kept (`--apple-ca`); a new one per start without it. */
  appleCaDir?: string;
  /** Key of the Apple admin API (`--apple-api-key`); off without it. */
  appleApiKey?: string;
}

export interface RunningServer {
  url: string;
  /** Drains: requests in flight are answered, new ones get 503, then the server closes. */
  close(): Promise<void>;
  /** Journal entries replayed at start (--data-dir). */
  replayed?: number;
  mdm: ReferenceMdm;
  auth: AuthConfig;
  /** The certificate a client should trust (`--tls`). */
  certFile?: string;
  /** The CA certificate PUT /mdm trusts (`--apple-ca DIR`), and whether this start made it. */
  appleCa?: { certFile: string; created: boolean };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

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
  if (options.maxDevices !== undefined && slice.count > options.maxDevices) throw new UsageError(`--devices ${slice.count} is more than --max-devices ${options.maxDevices}`);
  let audits = 0;
  // A durable server keeps its Apple CA too: devices from outside enrolled with its certificates, and a restart replays their messages.
  const appleCaDir = options.appleCaDir ?? (options.dataDir !== undefined ? join(options.dataDir, 'apple-ca') : undefined);
  const appleCa = options.appleCommands !== 'direct' && appleCaDir !== undefined ? await openAppleCa(appleCaDir, options.appleCaDir !== undefined ? '--apple-ca' : '--data-dir') : null;
  const appleWire = options.appleCommands === 'direct' ? undefined : await AppleFleetWire.create(options.seed, appleCa?.ca);
  const mdm = new ReferenceMdm({
    seed: options.seed,
    ...(appleWire ? { appleWire } : {}),
    ...(options.shard
      ? {
          pushLatencyMs: (seq: number) => defaultPushLatencyMs(slice.start + seq, options.seed),
          auditNumber: () => audits++ * stride + offset,
          shardTag: options.shard.index,
        }
      : {}),
    ...(options.auditRetentionMs !== undefined ? { auditRetentionMs: options.auditRetentionMs } : {}),
    ...(options.maxAudits !== undefined ? { maxAudits: options.maxAudits } : {}),
  });
  const tls = options.tls ? await tlsMaterial(options.tls, options.host) : null;
  const journal = options.dataDir !== undefined ? openJournal(options) : null;
  if (slice.count > 0) {
    for (const _ of mdm.reserving(slice.count));
    // In batches: one generateFleet call takes at most MAX_COUNT devices, and a batch's profiles can be freed as they go.
    for (let done = 0; done < slice.count; done += FLEET_BATCH) {
      const count = Math.min(FLEET_BATCH, slice.count - done);
      for (const profile of generateFleet({ count, seed: options.seed, startIndex: slice.start + done }, mdm.shardTag)) mdm.enroll(profile);
    }
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = createApp({
    mdm,
    auth,
    ...(options.log ? { log: options.log } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.maxDevices !== undefined ? { maxDevices: options.maxDevices } : {}),
    ...(options.syncFleetLimit !== undefined ? { syncFleetLimit: options.syncFleetLimit } : {}),
    ...(options.maxSubscribers !== undefined ? { maxSubscribers: options.maxSubscribers } : {}),
    ...(options.throttle ? { throttle: options.throttle } : {}),
    ...(options.throttleClock ? { throttleClock: options.throttleClock } : {}),
    ...(options.appleApiKey ? { appleApiKey: options.appleApiKey } : {}),
    ...(journal ? { onFleetSlice: (slice: FleetSlice) => journal.append({ at: mdm.clock.now(), method: 'FLEET_SLICE', path: JSON.stringify(slice), body: null, clientId: null, role: null }) } : {}),
  });
  const appFetch = (request: Request) => app.fetch(request);
  const handle = journal ? journaledFetch(appFetch, mdm, journal, maxBodyBytes) : appFetch;
  let replayed: number | undefined;
  if (journal) {
    replayed = await replayJournal(journal, appFetch, mdm, auth, (entry) => FleetOperations.enrollSlice(mdm, JSON.parse(entry.path) as FleetSlice), options.appleApiKey);
  }
  const guard = new AdmissionGuard({
    ...options.admission,
    ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
  });
  const listener = getRequestListener(
    (request: Request, env: { incoming: { headers: IncomingMessage['headers']; resume(): unknown } }) => handle(withBufferedBody(request, env.incoming, maxBodyBytes)),
    // The adapter's lightweight Request/Response (its default): a JSON answer is written from
    // the string Hono made, not read back through a ReadableStream. Process-wide, and transparent.
    { overrideGlobalObjects: true },
  );
  const server = guard.createServer(listener, tls ?? undefined);
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
  // Real-time mode moves the clock between requests: save it every second so a restart resumes there.
  const clockSaver = journal ? setInterval(() => journal.saveClock(mdm.clock.now()), 1000) : null;
  clockSaver?.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  // No Host reflection: the app's URLs (@odata.context, @odata.nextLink) carry the listen address.
  guard.authority = `${host}:${address.port}`;
  guard.keepHost = options.shard !== undefined;
  if (options.publicUrl !== undefined) guard.publicOrigin = new URL(options.publicUrl).origin;
  guard.trustForwarded = options.trustForwarded === true;
  let closing: Promise<void> | null = null;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    ...(tls ? { certFile: tls.certFile } : {}),
    ...(appleCa ? { appleCa: { certFile: appleCa.certFile, created: appleCa.created } } : {}),
    mdm,
    auth,
    ...(replayed !== undefined ? { replayed } : {}),
    close() {
      closing ??= (async () => {
        await guard.drain(server);
        mdm.clock.stopRealTime();
        if (clockSaver) clearInterval(clockSaver);
        if (journal) {
          journal.saveClock(mdm.clock.now());
          journal.close();
        }
      })();
      return closing;
    },
  };
}

async function openAppleCa(dir: string, flag: string): Promise<{ ca: RunCa; certFile: string; created: boolean }> {
  try {
    return await loadOrCreateCa(dir);
  } catch (error) {
    throw new UsageError(`${flag} ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]}`);
  }
}

function openJournal(options: ServeOptions): Journal {
  let journal: Journal;
  try {
    journal = new Journal(options.dataDir!);
  } catch (error) {
    throw new UsageError(`cannot open the data directory ${options.dataDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    journal.checkSettings({ seed: String(options.seed), devices: String(options.devices), shard: options.shard ? `${options.shard.index}/${options.shard.count}` : 'none' });
  } catch (error) {
    journal.close();
    if (error instanceof MetaMismatch) throw new UsageError(`--data-dir ${options.dataDir}: ${error.message}`);
    throw error;
  }
  return journal;
}
