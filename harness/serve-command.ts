import { startServer } from '../simulator/mdm/serve.js';
import { parseServeArgs, SERVE_USAGE } from './serve-args.js';

export const SERVE_HELP = `Usage: ${SERVE_USAGE}

Serves a simulated fleet behind the Graph-shaped mock MDM (management API under /v1.0 and
/beta, simulation API under /sim, OpenAPI document at /openapi.json). Stops on Ctrl-C.`;

/** `lockstep serve`: runs until SIGINT/SIGTERM, then closes cleanly (in-flight requests drain). */
export async function serveCommand(argv: string[]): Promise<number> {
  const options = parseServeArgs(argv);
  if (options.help) {
    process.stdout.write(SERVE_HELP + '\n');
    return 0;
  }
  const started = performance.now();
  const server = await startServer(options);
  const out = (line: string) => process.stdout.write(line + '\n');
  out(`lockstep mock MDM listening on ${server.url} (${server.mdm.size} devices, seed ${options.seed}, clock ${options.clock}${server.replayed !== undefined ? `, ${server.replayed} journaled requests replayed from ${options.dataDir}` : ''}, ready in ${Math.round(performance.now() - started)} ms)`);
  if (server.auth.builtIn) {
    out(`get a token:  curl -s ${server.certFile ? `--cacert ${server.certFile} ` : ""}${server.url}/oauth2/v2.0/token -d grant_type=client_credentials -d client_id=helpdesk-operator -d client_secret=helpdesk-operator`);
    out(`roles: global-administrator intune-administrator helpdesk-operator role-administrator school-administrator endpoint-security-manager read-only-operator sim-controller (secret = client id)`);
  }
  if (server.certFile) out(`TLS certificate: ${server.certFile}   (trust it: NODE_EXTRA_CA_CERTS=${server.certFile})`);
  if (server.mdm.appleWire) {
    const ca = server.appleCa ? `devices trust ${server.appleCa.certFile}${server.appleCa.created ? ' (made now)' : ''}` : 'a CA made for this start (--apple-ca DIR keeps one)';
    out(`Apple MDM: ${server.url}/mdm, ${ca}; admin API ${options.appleApiKey ? `on (nanomdm:KEY at ${server.url}/v1/)` : 'off (--apple-api-key KEY)'}`);
  }
  out(`OpenAPI: ${server.url}/openapi.json    stop: Ctrl-C`);
  // kill -USR2 <pid>: one line of memory use (after a full GC when node runs with --expose-gc, as the bench's soak does).
  const memory = () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    out(`memory: rss ${(m.rss / 2 ** 20).toFixed(1)} MiB, heap used ${(m.heapUsed / 2 ** 20).toFixed(1)} MiB`);
  };
  process.on('SIGUSR2', memory);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGUSR2', memory);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out('lockstep mock MDM stopped');
  return 0;
}
