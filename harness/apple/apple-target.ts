/** `run --apple-mdm URL`: an Apple MDM server under test, with simulated devices ready to enroll in it. */
import { parseAdminSpec } from '../../simulator/apple/admin.js';
import { loadOrCreateCa, RunCa } from '../../simulator/apple/identity.js';
import { UsageError } from '../../contract/usage-error.js';
import { LockstepClient } from '../client.js';
import type { Target } from '../targets.js';
import { AppleServerFacet } from './apple-facet.js';
import { CheckinWebhook } from './webhook.js';
import { APPLE_MUTANT_NAMES, appleMutantRewrite, startMutantProxy, type AnswerRewrite, type MutantProxy } from './mutants.js';

function rewriteFor(name: string): AnswerRewrite {
  const rewrite = appleMutantRewrite(name);
  if (!rewrite) throw new UsageError(`--apple-mutant must be one of ${APPLE_MUTANT_NAMES.join(', ')}, not '${name}'`);
  return rewrite;
}

export interface AppleMdmOptions {
  /** The server's MDM endpoint (ServerURL), e.g. http://127.0.0.1:9000/mdm. */
  appleMdm: string;
  /** nanomdm:KEY[@URL] or micromdm:KEY[@URL]. */
  enqueue: string;
  identity: 'signature' | { header: string };
  /** Where the device CA lives (made on first use); the server must trust DIR/ca.pem. */
  caDir: string | null;
  webhookPort: number;
  topic: string;
  seed: number;
  /** Wrong-server rewrites (harness/apple/mutants.ts) put in a proxy between the devices and the server. */
  mutants?: readonly string[];
}

export const DEFAULT_TOPIC = 'com.apple.mgmt.External.lockstep';

export interface AppleTarget extends Target {
  apple: AppleServerFacet;
  webhook: CheckinWebhook;
  caFile: string | null;
}

export async function openAppleTarget(options: AppleMdmOptions, log: (line: string) => void = () => {}): Promise<AppleTarget> {
  const admin = parseAdminSpec(options.enqueue, options.appleMdm);
  if (typeof admin === 'string') throw new UsageError(admin);
  const rewrites = (options.mutants ?? []).map(rewriteFor);
  let ca: RunCa;
  let caFile: string | null = null;
  if (options.caDir) {
    const loaded = await loadOrCreateCa(options.caDir).catch((error: Error) => {
      throw new UsageError(`--apple-ca ${options.caDir}: ${error.message.split('\n')[0]}`);
    });
    ca = loaded.ca;
    caFile = loaded.certFile;
    if (loaded.created) log(`made a device CA: start the server trusting ${caFile} (NanoMDM: -ca ${caFile})`);
  } else {
    ca = await RunCa.create();
  }
  const webhook = await CheckinWebhook.listen(options.webhookPort).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot listen for the server's check-in webhook on 127.0.0.1:${options.webhookPort}: ${error.code ?? error.message}`);
  });
  log(`check-in webhook: ${webhook.url} (NanoMDM: -webhook-url ${webhook.url})`);
  let proxy: MutantProxy | null = null;
  let mdmUrl = options.appleMdm;
  if (rewrites.length) {
    proxy = await startMutantProxy(options.appleMdm, rewrites);
    const real = new URL(options.appleMdm);
    mdmUrl = proxy.url + real.pathname + real.search;
    log(`devices reach ${options.appleMdm} through a wrong-server proxy (${(options.mutants ?? []).join(', ')}): ${mdmUrl}`);
  }
  const apple = new AppleServerFacet({ mdmUrl, admin, ca, identityMode: options.identity, topic: options.topic, webhook, seed: options.seed });
  return {
    apple,
    webhook,
    caFile,
    client: new LockstepClient({ baseUrl: new URL(options.appleMdm).origin }),
    description: { kind: 'http', url: options.appleMdm },
    close: async () => {
      await webhook.close();
      await proxy?.close();
    },
  };
}
