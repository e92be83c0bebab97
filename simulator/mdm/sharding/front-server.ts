/** `lockstep front`: the aggregating front over HTTP, in front of `lockstep serve --shard K/N` processes. */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFrontApp } from './front-app.js';
import { ShardClient } from './shard-client.js';

export interface FrontOptions {
  /** The shards' base URLs, shard 0 first. */
  shards: readonly string[];
  port: number;
  host: string;
  maxBodyBytes?: number;
  /** Fleet posts over this many devices become one operation (tests; 10 000 as on the shards). */
  syncFleetLimit?: number;
  log?: (line: string) => void;
}

export interface RunningFront {
  url: string;
  close(): Promise<void>;
}

export async function startFront(options: FrontOptions): Promise<RunningFront> {
  const shards = options.shards.map((url, k) => new ShardClient(k, url));
  const app = createFrontApp({ shards, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}), ...(options.syncFleetLimit !== undefined ? { syncFleetLimit: options.syncFleetLimit } : {}), ...(options.log ? { log: options.log } : {}) });
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: true }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of shards) s.close();
      });
      return closing;
    },
  };
}
