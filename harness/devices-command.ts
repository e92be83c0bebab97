import { UsageError } from '../contract/usage-error.js';
import { DEVICES_HELP, parseDevicesArgs } from './devices-args.js';

export interface DevicesIo {
  stdout: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  signal?: AbortSignal;
}

/** `lockstep devices`: enrolls simulated Apple devices in a server and keeps them polling until Ctrl-C, q or --duration. */
export async function devicesCommand(argv: string[], io: DevicesIo = { stdout: process.stdout }): Promise<number> {
  const options = parseDevicesArgs(argv);
  const out = (line: string) => io.stdout.write(line + '\n');
  if (options.help) {
    out(DEVICES_HELP);
    return 0;
  }
  const [{ loadOrCreateCa }, { AppleDeviceFleet, figuresLine }] = await Promise.all([import('../simulator/apple/identity.js'), import('./apple/device-fleet.js')]);
  const { ca, created, certFile } = await loadOrCreateCa(options.caDir).catch((error: Error) => {
    throw new UsageError(`--ca ${options.caDir}: ${error.message.split('\n')[0]}`);
  });
  if (created) out(`made a device CA: the server must trust ${certFile} (NanoMDM: -ca ${certFile})`);
  const fleet = new AppleDeviceFleet({ mdmUrl: options.mdmUrl, count: options.count, variants: options.variants, seed: options.seed, ca, identityMode: options.identity, topic: options.topic, concurrency: options.concurrency, ...(options.shard ? { startIndex: options.shard.index * options.count } : {}) });
  const live = !options.plain && io.stdout.isTTY === true && !process.env.CI;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  io.signal?.addEventListener('abort', onSignal);
  let unmount = () => {};
  if (live) {
    const [{ render }, { createElement }, { DevicesView }] = await Promise.all([import('ink'), import('react'), import('./apple/devices-view.js')]);
    const app = render(createElement(DevicesView, { url: options.mdmUrl, figures: () => fleet.figures(), onQuit: stop }), { stdout: io.stdout as NodeJS.WriteStream, exitOnCtrlC: false });
    unmount = () => app.unmount();
  } else {
    out(`enrolling ${options.count} simulated Apple devices (${options.variants.join(', ')})${options.shard ? `, part ${options.shard.index} of ${options.shard.count} (devices ${options.shard.index * options.count} to ${(options.shard.index + 1) * options.count - 1})` : ''} in ${options.mdmUrl}`);
  }
  const started = Date.now();
  let lastLine = 0;
  await fleet.enroll(() => {
    if (!live && Date.now() - lastLine > 2000) {
      lastLine = Date.now();
      out(figuresLine(fleet.figures()));
    }
  });
  const enrolledIn = (Date.now() - started) / 1000;
  const afterEnroll = fleet.figures();
  if (afterEnroll.enrolled === 0) {
    unmount();
    fleet.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw new UsageError(`no device could enroll in ${options.mdmUrl}: ${afterEnroll.firstFailure ?? 'unknown error'}`);
  }
  if (!live) out(`enrolled ${afterEnroll.enrolled} of ${options.count} in ${enrolledIn.toFixed(1)} s${afterEnroll.failed ? `; ${afterEnroll.failed} failed, first: ${afterEnroll.firstFailure}` : ''}; polling every ${options.pollIntervalMs / 1000} s`);
  fleet.startPolling(options.pollIntervalMs);
  const ticker = live ? null : setInterval(() => out(figuresLine(fleet.figures())), 10_000);
  const timeout = options.durationMs !== null ? setTimeout(stop, Math.max(0, options.durationMs - (Date.now() - started))) : null;
  await stopped;
  fleet.stop();
  if (ticker) clearInterval(ticker);
  if (timeout) clearTimeout(timeout);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  unmount();
  const final = fleet.figures();
  out(`devices: ${figuresLine(final)}`);
  return final.failed > 0 ? 1 : 0;
}
