import { VARIANT_KEYS, isVariantKey } from '../contract/variants.js';
import { preferProductionReact } from './ui/react-mode.js';
import { integerOption, loadCredentials, parseCommandArgs } from './cli-options.js';
import { UsageError } from '../contract/usage-error.js';

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

export interface WatchIo {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/** `lockstep watch`: runs the dashboard until q; returns the exit status. */
export async function watchCommand(argv: string[], io: WatchIo = { stdout: process.stdout, stdin: process.stdin }): Promise<number> {
  const options = parseWatchArgs(argv);
  if (options.help) {
    io.stdout.write(WATCH_HELP + '\n');
    return 0;
  }
  if (!io.stdout.isTTY) throw new UsageError('lockstep watch is a terminal dashboard: run it in a terminal (stdout is not one)');

  preferProductionReact();
  const [{ render }, { createElement }, { WatchApp }, { WatchStore }, sources] = await Promise.all([
    import('ink'),
    import('react'),
    import('./ui/watch-app.js'),
    import('./ui/watch-store.js'),
    import('./ui/fleet-source.js'),
  ]);

  let source: import('./ui/fleet-source.js').FleetSource;
  let stopWorkload = () => {};
  if (options.demo) {
    const [{ ReferenceMdm }, { DemoWorkload, enrollDemoFleet }] = await Promise.all([import('../simulator/mdm/reference-mdm.js'), import('./ui/demo-workload.js')]);
    const mdm = new ReferenceMdm({ seed: options.seed });
    io.stdout.write(`enrolling ${options.devices} demo devices (seed ${options.seed})…\n`);
    enrollDemoFleet(mdm, options.devices, options.seed);
    const workload = new DemoWorkload(mdm, { seed: options.seed, eventsPerSecond: options.rate });
    workload.start();
    stopWorkload = () => workload.stop();
    source = sources.embeddedFleetSource(mdm, `demo: ${options.devices.toLocaleString('en-US')} devices, seed ${options.seed}`);
  } else {
    let credentials;
    if (options.credentials) {
      credentials = await loadCredentials(options.credentials);
    }
    source = sources.httpFleetSource({ url: options.target!, ...(credentials ? { credentials } : {}) });
  }

  const store = new WatchStore();
  source.start(store);
  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const element = () =>
    createElement(WatchApp, {
      store,
      source,
      variants: VARIANT_KEYS,
      initialVariant: options.variant,
      onQuit: () => quit(),
      keys: Boolean(io.stdin.isTTY),
    });
  // Frames are drawn by the store's pump (at most 8 a second, fewer if frames get expensive),
  // poked by a timer and by events, so a burst parsed in one go still shows up.
  let instance: ReturnType<typeof render> | null = null;
  store.pump.attach(() => instance?.rerender(element()));
  instance = render(element(), { stdout: io.stdout, stdin: io.stdin, exitOnCtrlC: false, patchConsole: io.stdout === process.stdout, maxFps: 10 });
  const ink = instance;
  const ticker = setInterval(() => store.pump.poke(), 25);
  const onSignal = () => quit();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await Promise.race([quitting, ink.waitUntilExit()]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    clearInterval(ticker);
    store.pump.attach(null);
    stopWorkload();
    await source.close();
    ink.unmount();
    await ink.waitUntilExit().catch(() => undefined);
  }
  return 0;
}
