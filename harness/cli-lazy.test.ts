import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `lockstep --help` and usage errors must not load the suite, the simulator or the terminal UI:
// the CLI entry and the flag modules reach them only through dynamic import(). This follows the
// static imports from those entry points and lists what they load.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(STATIC_IMPORT)) {
      if (!spec!.startsWith('.')) {
        if (!spec!.startsWith('node:')) packages.add(spec!);
        continue;
      }
      visit(join(dirname(file), spec!.replace(/\.js$/, '.ts')).replace(/\.ts$/, '.ts'));
    }
  };
  visit(join(ROOT, entry));
  return { files, packages };
}

describe('the CLI loads lazily', () => {
  it.each(['harness/cli.ts', 'harness/run-args.ts', 'harness/watch-args.ts', 'harness/fuzz-args.ts', 'harness/serve-args.ts'])('%s statically loads no package and none of the heavy rooms', (entry) => {
    const { files, packages } = staticClosure(entry);
    const loaded = [...files].map((f) => relative(ROOT, f).split(sep).join('/'));
    expect([...packages]).toEqual([]);
    // slices.ts (the --shard K/N parser) imports nothing; everything else under simulator/mdm/ is the server.
    const heavy = loaded.filter((f) => f !== 'simulator/mdm/sharding/slices.ts');
    expect(heavy.filter((f) => /^(scenarios|reports)\/|^simulator\/mdm\/|^harness\/(ui|fuzz|embedded-thread)\//.test(f) || /targets|run-command|client/.test(f))).toEqual([]);
  });
});
