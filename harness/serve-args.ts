import type { ServeOptions } from '../simulator/mdm/serve.js';
import { parseShardSpec } from '../simulator/mdm/sharding/slices.js';
import { UsageError } from '../contract/usage-error.js';
import { integerOption, parseCommandArgs } from './cli-args.js';
import { parseThrottleSpec } from './serve-throttle-arg.js';

export const SERVE_USAGE = `lockstep serve [--port N] [--host ADDR] [--devices N] [--seed S] [--clock real|manual] [--clients FILE] [--allow-non-loopback] [--shard K/N] [--signing-key-file F] [--data-dir DIR] [--max-devices N] [--max-in-flight N] [--max-connections N] [--max-audits N] [--tls] [--tls-cert F --tls-key F] [--tls-cert-out F] [--public-url URL] [--trust-forwarded] [--throttle N/Ws|intune] [--apple-commands wire|direct] [--apple-ca DIR] [--apple-api-key KEY]

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
  --max-audits N         audits kept (newest first; default 100000; older than 30 simulated days are dropped too)
  --tls                  serve HTTPS with a self-signed certificate made at start (for localhost, 127.0.0.1,
                         ::1 and --host), written to a file whose path is printed: trust it with
                         NODE_EXTRA_CA_CERTS=FILE (real Graph clients need https)
  --tls-cert F --tls-key F  serve HTTPS with this PEM certificate and key instead
  --tls-cert-out F       where --tls writes its certificate (default: a file under the temp directory)
  --public-url URL       the origin (scheme://host[:port]) every URL in answers names, e.g. @odata.nextLink
                         behind a proxy or a port forward
  --trust-forwarded      take that origin from each request's X-Forwarded-Proto / X-Forwarded-Host
                         (only behind a proxy that sets them)
  --throttle N/Ws|intune Graph-style throttling of the management API: each client may make N requests per
                         W seconds (a token bucket), then gets 429 TooManyRequests with Retry-After;
                         'intune' is Intune's published 1000/20s per app (default: no throttling)
  --apple-commands M     wire (default): Apple devices take Graph actions as Apple MDM commands (ClearPasscode,
                         DeviceLock, EraseDevice) through the server's Apple MDM endpoint, PUT /mdm;
                         direct: applied to their models in-process (no Apple endpoint; for the largest fleets)
  --apple-ca DIR         the CA whose device certificates PUT /mdm trusts, kept in DIR (ca.pem, ca-key.pem;
                         made on first use; with --data-dir and no --apple-ca: DATA_DIR/apple-ca): pass
                         the same DIR to lockstep devices / run --apple-ca
  --apple-api-key KEY    turns on the NanoMDM-style admin API (PUT /v1/enqueue/ID, GET /v1/push/ID) with
                         HTTP basic auth nanomdm:KEY`;

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
    tls: { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-cert-out': { type: 'string' },
    'public-url': { type: 'string' },
    'trust-forwarded': { type: 'boolean' },
    throttle: { type: 'string' },
    'apple-commands': { type: 'string' },
    'apple-ca': { type: 'string' },
    'apple-api-key': { type: 'string' },
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
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) {
    if (values['tls-cert-out'] !== undefined) throw new UsageError('--tls-cert-out is for the certificate --tls makes; with --tls-cert there is none to write');
    options.tls = { kind: 'files', certFile, keyFile };
  } else if (values.tls || values['tls-cert-out'] !== undefined) {
    options.tls = { kind: 'self-signed', ...(values['tls-cert-out'] !== undefined ? { certOut: values['tls-cert-out'] } : {}) };
  }
  if (values['public-url'] !== undefined) options.publicUrl = publicUrl(values['public-url']);
  if (values['trust-forwarded']) {
    if (options.publicUrl !== undefined) throw new UsageError('--public-url and --trust-forwarded both set the origin of links: use one');
    options.trustForwarded = true;
  }
  if (values.throttle !== undefined) {
    const spec = parseThrottleSpec(values.throttle);
    if (!spec) throw new UsageError(`--throttle needs N/Ws (N requests per W seconds, like 1000/20s) or 'intune', not '${values.throttle}'`);
    options.throttle = spec;
  }
  const appleCommands = values['apple-commands'];
  if (appleCommands !== undefined && appleCommands !== 'wire' && appleCommands !== 'direct') throw new UsageError(`--apple-commands must be wire or direct, not '${appleCommands}'`);
  if (appleCommands === 'direct') {
    if (values['apple-ca'] !== undefined || values['apple-api-key'] !== undefined) throw new UsageError('--apple-ca and --apple-api-key are for the Apple MDM endpoint, which --apple-commands direct turns off');
    options.appleCommands = 'direct';
  }
  if (values['apple-ca'] !== undefined) {
    if (values['apple-ca'].trim() === '') throw new UsageError('--apple-ca needs a directory');
    options.appleCaDir = values['apple-ca'];
  }
  if (values['apple-api-key'] !== undefined) {
    if (values['apple-api-key'].length < 8 || /[\s:]/.test(values['apple-api-key'])) throw new UsageError('--apple-api-key needs at least 8 characters, without spaces or colons');
    options.appleApiKey = values['apple-api-key'];
  }
  if (values.help) options.help = true;
  return options;
}

/** `--public-url`: an http(s) origin, with no path, query or credentials (links keep the request's own path). */
function publicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--public-url must be an absolute URL like https://mdm.example.test:8443, not '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--public-url must be http or https, not '${url.protocol.slice(0, -1)}'`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new UsageError(`--public-url takes an origin only (scheme://host[:port]), not a path, query or credentials: '${text}'`);
  }
  return url.origin;
}
