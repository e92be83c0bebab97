/**
 * The Kubernetes manifests in deploy/: they parse (`kubectl kustomize`, offline), every document
 * is a named resource, and what must agree agrees: the StatefulSet's replicas and each shard's
 * `--shard K/N`, the front's shard list, the checked-in HAProxy configuration (regenerated here
 * from the route table) and the Indexed Job's completions and `--shard`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDevicesArgs } from './devices-args.js';
import { parseServeArgs } from './serve-args.js';
import { haproxyConfig } from '../simulator/mdm/sharding/haproxy-config.js';

const deploy = (path: string) => fileURLToPath(new URL(`../deploy/${path}`, import.meta.url));
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0;
const haproxyMissing = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status !== 0;

/** The YAML documents of a manifest, each as text. */
function documents(text: string): string[] {
  return text.split(/^---$/m).map((d) => d.trim()).filter((d) => d !== '' && !/^(#.*\n?)*$/.test(d));
}

/** A top-level or nested scalar `key: value` (first occurrence). */
function field(doc: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}: *(.+)$`, 'm').exec(doc)?.[1]?.trim().replace(/^"|"$/g, '');
}

/** The container args list (`- value` lines under `args:`). */
function args(doc: string): string[] {
  const block = /^(\s*)args:\n((?:\1\s+- .*\n?)+)/m.exec(doc);
  return block ? [...block[2]!.matchAll(/- (.+)/g)].map((m) => m[1]!.trim()) : [];
}

function byKind(docs: string[], kind: string, name: string): string {
  const doc = docs.find((d) => field(d, 'kind') === kind && new RegExp(`^  name: ${name}$`, 'm').test(d));
  if (!doc) throw new Error(`no ${kind} ${name}`);
  return doc;
}

describe('deploy/ manifests', () => {
  const mdm = documents(readFileSync(deploy('mock-mdm/mock-mdm.yaml'), 'utf8'));
  const job = documents(readFileSync(deploy('device-fleet/job.yaml'), 'utf8'));

  it('are named resources of known kinds', () => {
    for (const doc of [...mdm, ...job]) {
      expect(field(doc, 'apiVersion'), doc.slice(0, 80)).toMatch(/^(v1|apps\/v1|batch\/v1)$/);
      expect(['Namespace', 'Secret', 'Service', 'StatefulSet', 'Deployment', 'Job']).toContain(field(doc, 'kind'));
      expect(doc).toMatch(/^metadata:\n {2}name: [a-z0-9-]+$/m);
    }
  });

  it('agree with each other: shards, the front, the HAProxy configuration and the job', () => {
    const shards = byKind(mdm, 'StatefulSet', 'lockstep-shard');
    const replicas = Number(field(shards, 'replicas'));
    const serve = args(shards);
    expect(serve[0]).toBe('serve');
    expect(serve).toContain(`--shard=$(SHARD_INDEX)/${replicas}`);
    // Every shard's command line is one `lockstep serve` accepts.
    for (let k = 0; k < replicas; k++) {
      expect(parseServeArgs(serve.slice(1).map((a) => a.replace('$(SHARD_INDEX)', String(k))))).toMatchObject({ shard: { index: k, count: replicas } });
    }
    const front = args(byKind(mdm, 'Deployment', 'lockstep-front'));
    const list = front.find((a) => a.startsWith('--shards='))!.slice('--shards='.length).split(',');
    expect(list).toEqual(Array.from({ length: replicas }, (_, k) => `lockstep-shard-${k}.lockstep-shard:4000`));
    const config = readFileSync(deploy('mock-mdm/haproxy.cfg'), 'utf8');
    expect(config, 'regenerate deploy/mock-mdm/haproxy.cfg with lockstep balancer-config (see deploy/README.md)').toBe(
      haproxyConfig({ shards: list, front: 'lockstep-front:4000', bind: '0.0.0.0:8080' }),
    );
    const indexed = job[0]!;
    const completions = Number(field(indexed, 'completions'));
    expect(field(indexed, 'completionMode')).toBe('Indexed');
    expect(Number(field(indexed, 'parallelism'))).toBe(completions);
    expect(args(indexed)).toContain(`--shard=$(JOB_COMPLETION_INDEX)/${completions}`);
    // Every pod's command line is one `lockstep devices` accepts, and the pods' slices make one fleet.
    const pod = args(indexed);
    expect(pod[0]).toBe('devices');
    const parsed = Array.from({ length: completions }, (_, k) => parseDevicesArgs(pod.slice(1).map((a) => a.replace('$(JOB_COMPLETION_INDEX)', String(k)))));
    parsed.forEach((p, k) => expect(p).toMatchObject({ shard: { index: k, count: completions }, count: parsed[0]!.count, seed: parsed[0]!.seed, durationMs: expect.any(Number) }));
    // The CA the pods use is the mounted Secret.
    expect(parsed[0]!.caDir).toBe('/ca');
    expect(indexed).toMatch(/mountPath: \/ca/);
    expect(indexed).toMatch(/secretName: lockstep-device-ca/);
  });

  it.skipIf(kubectlMissing)('parse with kubectl kustomize (offline)', () => {
    for (const dir of ['mock-mdm', 'device-fleet']) {
      const out = spawnSync('kubectl', ['kustomize', deploy(dir)], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^kind: /m);
    }
  });

  it.skipIf(haproxyMissing)('hold an HAProxy configuration haproxy -c accepts', () => {
    const out = spawnSync('haproxy', ['-c', '-f', deploy('mock-mdm/haproxy.cfg')], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
  });
});
