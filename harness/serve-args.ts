import type { ServeOptions } from '../simulator/mdm/serve.js';
import { parseShardSpec } from '../simulator/mdm/sharding/slices.js';
import { UsageError } from '../contract/usage-error.js';
import { integerOption, parseCommandArgs } from './cli-args.js';

export const SERVE_USAGE = `lockstep serve [--port N] [--host ADDR] [--devices N] [--seed S] [--clock real|manual] [--clients FILE] [--allow-non-loopback] [--shard K/N] [--signing-key-file F] [--data-dir DIR] [--max-devices N] [--max-in-flight N] [--max-connections N] [--max-audits N]

  --port N               port to listen on (default 4000; 0 picks a free one)
  --host ADDR            address to listen on (default 127.0.0.1)
  --devices N            enroll a generated fleet of N devices at start (default 0)
  --seed S               fleet and simulation seed (default 1)
  --clock real|manual    simulated time follows the wall clock, or moves only by POST /sim/clock (default real)
  --clients FILE         JSON [{"clientId","clientSecret","role"}] replacing the built-in local clients
  --allow-non-loopback   listen on a non-loopback address even with the built-in credentials
  --shard K/N            serve only slice K (0 to N-1) of the seeded fleet of --devices devices, as one
                         of N servers behind HAProxy and \`lockstep front\` (same --seed, --devices and key file);
                         its devices' ids carry K, so a balancer routes them by id
  --signing-key-file F   HS256 key for access tokens from file F (default: random per start)
  --data-dir DIR         keep the fleet's state in SQLite in DIR: after a crash or restart every
                         acknowledged request is there (start again with the same --devices and --seed)
  --max-devices N        largest fleet; enrolling beyond it answers 409 (default 2000000)
  --max-in-flight N      requests handled at once before 429 Too Many Requests (default 256)
  --max-connections N    open connections before new ones get 503 (default 1024)
  --max-audits N         audits kept (newest first; default 100000; older than 30 simulated days are dropped too)`;

/** Parses `serve` flags on the shared strict parser; `{ help: true }` for --help. Throws UsageError in one line. */
export function parseServeArgs(argv: string[]): ServeOptions & { help?: boolean } {
  const values = parseCommandArgs('serve', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    devices: { type: 'string' },
    seed: { type: 'string' },
    clock: { type: 'string' },
    clients: { type: 'string' },
    'allow-non-loopback': { type: 'boolean' },
    shard: { type: 'string' },
    'signing-key-file': { type: 'string' },
    'data-dir': { type: 'string' },
    'max-devices': { type: 'string' },
    'max-in-flight': { type: 'string' },
    'max-connections': { type: 'string' },
    'max-audits': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const options: ServeOptions & { help?: boolean } = {
    port: integerOption('--port', values.port, 4000, 0, 65535),
    host: values.host ?? '127.0.0.1',
    devices: integerOption('--devices', values.devices, 0, 0, 100_000_000),
    seed: integerOption('--seed', values.seed, 1, 0, 2 ** 32 - 1),
    clock: 'real',
  };
  if (options.host.trim() === '') throw new UsageError('--host needs an address');
  if (values.clock !== undefined) {
    if (values.clock !== 'real' && values.clock !== 'manual') throw new UsageError(`--clock must be real or manual, got '${values.clock}'`);
    options.clock = values.clock;
  }
  if (values.clients !== undefined) options.clientsFile = values.clients;
  if (values['allow-non-loopback']) options.allowNonLoopback = true;
  if (values['signing-key-file'] !== undefined) options.signingKeyFile = values['signing-key-file'];
  if (values.shard !== undefined) {
    const spec = parseShardSpec(values.shard);
    if (!spec) throw new UsageError(`--shard needs K/N with 0 <= K < N, like 0/4; got '${values.shard}'`);
    options.shard = spec;
  }
  if (values['data-dir'] !== undefined) {
    if (values['data-dir'].trim() === '') throw new UsageError('--data-dir needs a directory');
    options.dataDir = values['data-dir'];
  }
  if (values['max-devices'] !== undefined) options.maxDevices = integerOption('--max-devices', values['max-devices'], 0, 1, 100_000_000);
  if (values['max-in-flight'] !== undefined) options.maxInFlight = integerOption('--max-in-flight', values['max-in-flight'], 0, 1, 1_000_000);
  if (values['max-audits'] !== undefined) options.maxAudits = integerOption('--max-audits', values['max-audits'], 0, 1, 100_000_000);
  if (values['max-connections'] !== undefined) options.maxConnections = integerOption('--max-connections', values['max-connections'], 0, 1, 1_000_000);
  if (values.help) options.help = true;
  return options;
}
