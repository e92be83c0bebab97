import { writeFile } from 'node:fs/promises';
import { haproxyConfig, hostPort } from '../simulator/mdm/sharding/haproxy-config.js';
import { startFront } from '../simulator/mdm/sharding/front-server.js';
import { integerOption, parseCommandArgs } from './cli-options.js';
import { UsageError } from '../contract/usage-error.js';

export const FRONT_HELP = `Usage: lockstep front --shards URL,URL,... [--port N] [--host ADDR]

The aggregating front of a sharded fleet: answers fleet-wide requests (device and audit lists,
$count, /sim/stats, /sim/clock, /sim/fleet and its operations, /sim/events, tokens) by asking every
\`lockstep serve --shard K/N\` process over HTTP and merging their answers. Device-addressed
requests go to the shard named in the device id. Put HAProxy in front (lockstep balancer-config).

  --shards URL,...   the shards' base URLs, shard 0 first (required)
  --port N           port to listen on (default 4000; 0 picks a free one)
  --host ADDR        address to listen on (default 127.0.0.1)`;

export const BALANCER_HELP = `Usage: lockstep balancer-config --shards HOST:PORT,... --front HOST:PORT [--bind HOST:PORT] [--out FILE]

Prints (or writes) an HAProxy configuration for a sharded fleet: requests that address a device
go straight to the shard its id names; every other request goes to the aggregating front.

  --shards HOST:PORT,...   each shard's address, shard 0 first (required)
  --front HOST:PORT        the aggregating front's address (lockstep front) (required)
  --bind HOST:PORT         where HAProxy listens (default 127.0.0.1:8080)
  --out FILE               write the configuration to FILE instead of stdout`;

function addresses(flag: string, text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') throw new UsageError(`${flag} is required (see --help)`);
  return text.split(',').map((part) => {
    const address = hostPort(part.trim());
    if (!address) throw new UsageError(`${flag}: '${part.trim()}' is not host:port`);
    return address;
  });
}

export async function balancerConfigCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('balancer-config', argv, {
    help: { type: 'boolean', short: 'h' },
    shards: { type: 'string' },
    front: { type: 'string' },
    bind: { type: 'string' },
    out: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(BALANCER_HELP + '\n');
    return 0;
  }
  const shards = addresses('--shards', values.shards);
  const [front] = addresses('--front', values.front);
  if (shards.length > 0xffff) throw new UsageError('--shards: at most 65535 shards');
  const [bind] = values.bind === undefined ? ['127.0.0.1:8080'] : addresses('--bind', values.bind);
  const config = haproxyConfig({ shards, front: front!, bind: bind! });
  if (values.out !== undefined) {
    try {
      await writeFile(values.out, config);
    } catch (error) {
      throw new UsageError(`cannot write ${values.out} (${(error as NodeJS.ErrnoException).code ?? 'unwritable'})`);
    }
  } else process.stdout.write(config);
  return 0;
}

export async function frontCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('front', argv, {
    help: { type: 'boolean', short: 'h' },
    shards: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(FRONT_HELP + '\n');
    return 0;
  }
  const shards = addresses('--shards', values.shards).map((a) => `http://${a}`);
  const port = integerOption('--port', values.port, 4000, 0, 65535);
  const host = values.host ?? '127.0.0.1';
  let front;
  try {
    front = await startFront({ shards, port, host });
  } catch (error) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stdout.write(`lockstep front listening on ${front.url} (${shards.length} shards)    stop: Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void front.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
