import { isVariantKey, VARIANT_KEYS } from '../contract/variants.js';
import { integerOption, parseCommandArgs } from './cli-args.js';
import { UsageError } from '../contract/usage-error.js';

// `lockstep watch`'s flags and help, apart from the dashboard so the CLI parses them without loading Ink.

export const WATCH_HELP = `Usage: lockstep watch (--target URL | --demo) [options]

A live dashboard of a simulated fleet: devices by variant and state, actions by state,
events per second over the last minute and a feed of the newest events. Pick an event to
see its device's ground truth and action history (passcodes show as dots, never the value).

Source (exactly one):
  --target URL           a \`lockstep serve\`: polls GET /sim/stats, streams GET /sim/events,
                         and reconnects with backoff when the server goes away
  --credentials FILE     JSON {"<role>": {"clientId": "...", "clientSecret": "..."}} for --target
                         (default: the built-in local clients, secret = client id)
  --demo                 an embedded reference MDM with a seeded fleet and a simulated workload
Demo:
  --devices N            fleet size (default 5000)
  --seed N               seed of the fleet and the workload (default 1)
  --rate N               change events per second the workload aims for (default 300)
View:
  --variant KEY          start filtered to one variant (v cycles, V goes back)
  -h, --help             this help

Keys: ↑/↓ pick an event, enter device details (enter/esc back), v variant, q quit.
Needs a terminal. Exit status: 0 after q, 2 usage error.`;

export interface WatchOptions {
  target: string | null;
  credentials: string | null;
  demo: boolean;
  devices: number;
  seed: number;
  rate: number;
  variant: string | null;
  help: boolean;
}

export function parseWatchArgs(argv: string[]): WatchOptions {
  const values = parseCommandArgs('watch', argv, {
    target: { type: 'string' },
    credentials: { type: 'string' },
    demo: { type: 'boolean' },
    devices: { type: 'string' },
    seed: { type: 'string' },
    rate: { type: 'string' },
    variant: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const options: WatchOptions = {
    target: values.target ?? null,
    credentials: values.credentials ?? null,
    demo: values.demo ?? false,
    devices: integerOption('--devices', values.devices, 5000, 1, 1_000_000),
    seed: integerOption('--seed', values.seed, 1, 0, 2 ** 32 - 1),
    rate: integerOption('--rate', values.rate, 300, 1, 100_000),
    variant: values.variant ?? null,
    help: values.help ?? false,
  };
  if (options.help) return options;
  if ((options.target === null) === !options.demo) throw new UsageError('lockstep watch needs exactly one of --target URL or --demo (see lockstep watch --help)');
  if (options.credentials && !options.target) throw new UsageError('--credentials goes with --target');
  if (!options.demo && (values.devices !== undefined || values.seed !== undefined || values.rate !== undefined)) {
    throw new UsageError('--devices, --seed and --rate go with --demo');
  }
  if (options.target) {
    let url: URL;
    try {
      url = new URL(options.target);
    } catch {
      throw new UsageError(`--target '${options.target}' is not a URL like http://127.0.0.1:4000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be an http:// or https:// URL, not ${url.protocol}`);
  }
  if (options.variant !== null && !isVariantKey(options.variant)) throw new UsageError(`--variant must be one of ${VARIANT_KEYS.join(', ')}`);
  return options;
}
