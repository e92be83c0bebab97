import { VARIANT_KEYS } from '../contract/variants.js';
import { WATCH_HELP, parseWatchArgs } from './watch-args.js';
import { preferProductionReact } from './ui/react-mode.js';
import { loadCredentials } from './cli-options.js';
import { UsageError } from '../contract/usage-error.js';

export { WATCH_HELP, parseWatchArgs, type WatchOptions } from './watch-args.js';

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
