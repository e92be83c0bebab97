import { UsageError } from '../contract/usage-error.js';
import { integerOption, parseCommandArgs } from './cli-args.js';

// `lockstep devices`'s flags and help, apart from the command so --help loads nothing else.

export const DEVICES_VARIANTS = ['ios-device', 'ios-user-enrollment', 'macos'] as const;
type AppleVariant = (typeof DEVICES_VARIANTS)[number];

export const DEVICES_HELP = `Usage: lockstep devices --mdm-url URL [options]

Enrolls simulated Apple devices (iPhone/iPad, User Enrollment, Mac) in an Apple MDM server over
its own protocol and keeps them polling for commands, answering each as the device model decides.

  --mdm-url URL          the server's check-in/command URL (ServerURL), e.g. http://127.0.0.1:9000/mdm
  --count N              devices to enroll (default 100, up to 100000)
  --variants LIST        comma-separated: ios-device, ios-user-enrollment, macos (default all three)
  --identity MODE        signature (Mdm-Signature, default) or header:NAME (the server's -cert-header)
  --ca DIR               the device CA (DIR/ca.pem, made on first use; the server must trust it)
                         (default ./lockstep-apple-ca)
  --topic TOPIC          the push topic the devices report (default com.apple.mgmt.External.lockstep)
  --poll-interval S      seconds between one device's polls (default 60; there is no push service)
  --duration S           stop after S seconds (default: run until Ctrl-C or q)
  --concurrency N        enrollments in flight at once (default 32)
  --seed N               which devices (default 1)
  --shard K/N            this process is part K (0 to N-1) of N: it enrolls devices K*count to
                         (K+1)*count-1 of the seeded fleet, so N processes (the pods of an Indexed
                         Job) with the same --count and --seed are one fleet with no device twice
  --plain                plain lines even in a terminal (also when CI is set or output is piped)
  -h, --help             this help

Exit status: 0 when every device enrolled, 1 when some did not, 2 usage error or server unreachable.`;

export interface DevicesOptions {
  mdmUrl: string;
  count: number;
  variants: AppleVariant[];
  identity: 'signature' | { header: string };
  caDir: string;
  topic: string;
  pollIntervalMs: number;
  durationMs: number | null;
  concurrency: number;
  seed: number;
  /** `--shard K/N`: part K of N processes; devices K*count .. (K+1)*count-1. */
  shard: { index: number; count: number } | null;
  plain: boolean;
  help: boolean;
}

export function parseDevicesArgs(argv: string[]): DevicesOptions {
  const values = parseCommandArgs('devices', argv, {
    'mdm-url': { type: 'string' },
    count: { type: 'string' },
    variants: { type: 'string' },
    identity: { type: 'string' },
    ca: { type: 'string' },
    topic: { type: 'string' },
    'poll-interval': { type: 'string' },
    duration: { type: 'string' },
    concurrency: { type: 'string' },
    seed: { type: 'string' },
    shard: { type: 'string' },
    plain: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const help = values.help ?? false;
  const mdmUrl = values['mdm-url'] ?? '';
  if (!help && !/^https?:\/\/[^/\s]+/.test(mdmUrl)) throw new UsageError(mdmUrl ? `--mdm-url needs an http(s) URL, not '${mdmUrl}'` : 'lockstep devices needs --mdm-url URL (the server\'s MDM endpoint)');
  const variants = (values.variants ?? DEVICES_VARIANTS.join(',')).split(',').map((v) => v.trim());
  for (const v of variants) if (!(DEVICES_VARIANTS as readonly string[]).includes(v)) throw new UsageError(`--variants: '${v}' is not an Apple variant (${DEVICES_VARIANTS.join(', ')})`);
  let identity: DevicesOptions['identity'] = 'signature';
  if (values.identity !== undefined && values.identity !== 'signature') {
    const header = /^header:([A-Za-z0-9-]{1,64})$/.exec(values.identity)?.[1];
    if (!header) throw new UsageError(`--identity must be signature or header:NAME, not '${values.identity}'`);
    identity = { header };
  }
  const topic = values.topic ?? 'com.apple.mgmt.External.lockstep';
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(topic)) throw new UsageError(`--topic must be a push topic like com.apple.mgmt.External.<uuid>, not '${topic}'`);
  const duration = integerOption('--duration', values.duration, null, 1, 7 * 24 * 3600);
  let shard: DevicesOptions['shard'] = null;
  if (values.shard !== undefined) {
    const match = /^(\d{1,5})\/(\d{1,5})$/.exec(values.shard);
    const index = Number(match?.[1]);
    const of = Number(match?.[2]);
    if (!match || of < 1 || index >= of) throw new UsageError(`--shard needs K/N with 0 <= K < N, like 0/8; got '${values.shard}'`);
    shard = { index, count: of };
  }
  return {
    mdmUrl,
    count: integerOption('--count', values.count, 100, 1, 100_000),
    variants: [...new Set(variants)] as AppleVariant[],
    identity,
    caDir: values.ca ?? 'lockstep-apple-ca',
    topic,
    pollIntervalMs: integerOption('--poll-interval', values['poll-interval'], 60, 1, 86_400) * 1000,
    durationMs: duration === null ? null : duration * 1000,
    concurrency: integerOption('--concurrency', values.concurrency, 32, 1, 1024),
    seed: integerOption('--seed', values.seed, 1, 0, 2 ** 32 - 1),
    shard,
    plain: values.plain ?? false,
    help,
  };
}
