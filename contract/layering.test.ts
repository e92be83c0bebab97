import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The floors of the code base and the rules between them, checked by layering.test.ts.
 * Each top-level folder sits on a floor; a file may import from its own folder or a LOWER
 * floor, never from a higher one nor from a sibling folder on the same floor. contract/ is the
 * bottom and imports nothing of ours. The oracles (scenarios/, harness/fuzz/) never import
 * simulator/, so they cannot share the reference's mistakes.
 *
 * The rules are pure functions over (file, imported file) pairs, so this file also shows they fail.
 * They live here, not in a module, because contract/ holds no behaviour.
 */

export const FLOORS: Readonly<Record<string, number>> = {
  contract: 0,
  simulator: 1,
  scenarios: 1,
  reports: 2,
  harness: 3,
  bench: 4,
  /** Files at the repository root (vitest config and setup). */
  '.': 5,
};

/** Folders (path prefixes) that must never import simulator/: the independent oracles. */
export const ORACLES: readonly string[] = ['scenarios/', 'harness/fuzz/'];

/** One relative import, both paths from the repository root with '/' separators. */
export interface ImportEdge {
  from: string;
  to: string;
}

export function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** Every import that breaks a floor rule, as one readable line each. */
export function layeringViolations(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    const fa = FLOORS[a];
    const fb = FLOORS[b];
    if (fa === undefined) {
      problems.push(`${from}: folder ${a}/ has no floor (add it to FLOORS and the README layout)`);
      continue;
    }
    if (fb === undefined) {
      problems.push(`${from} imports ${to}: folder ${b}/ has no floor`);
      continue;
    }
    if (ORACLES.some((o) => from.startsWith(o)) && b === 'simulator') {
      problems.push(`${from} imports ${to}: an oracle must not import simulator/`);
    }
    if (a === b) continue;
    if (fb > fa) problems.push(`${from} imports ${to}: floor ${fa} (${a}/) must not import floor ${fb} (${b}/)`);
    else if (fb === fa) problems.push(`${from} imports ${to}: ${a}/ and ${b}/ share floor ${fa} and must not import each other`);
  }
  return problems;
}

/** Circles in the folder-level graph, each as "a -> b -> a". */
export function folderCircles(edges: readonly ImportEdge[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return circles;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', 'dist']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import (static, dynamic, re-export) of every .ts/.tsx file, read by TypeScript's own pre-parser. */
function ourImports(): ImportEdge[] {
  const posix = (path: string) => relative(ROOT, path).split(sep).join('/');
  return sourceFiles(ROOT).flatMap((file) =>
    ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles
      .filter((imported) => imported.fileName.startsWith('.'))
      .map((imported) => ({ from: posix(file), to: posix(normalize(join(dirname(file), imported.fileName))) })),
  );
}

describe('the floors of the code base', () => {
  const edges = ourImports();

  it('reads the imports of every folder', () => {
    const folders = new Set(edges.map((e) => e.from.split('/')[0]));
    for (const folder of ['simulator', 'scenarios', 'reports', 'harness', 'bench']) expect(folders, folder).toContain(folder);
    expect(edges.some((e) => e.to.startsWith('contract/'))).toBe(true);
  });

  it('never imports upward, sideways, or simulator/ from an oracle', () => {
    expect(layeringViolations(edges)).toEqual([]);
  });

  it('has no folder-level import circle', () => {
    expect(folderCircles(edges)).toEqual([]);
  });

  it('keeps contract/ free of every other folder of ours', () => {
    expect(edges.filter((e) => e.from.startsWith('contract/') && !e.to.startsWith('contract/'))).toEqual([]);
  });
});

describe('the floor rules themselves', () => {
  it('catch an upward import, a sideways import and an oracle reading the simulator', () => {
    const problems = layeringViolations([
      { from: 'contract/wire.ts', to: 'harness/client' },
      { from: 'scenarios/steps.ts', to: 'simulator/variants' },
      { from: 'harness/fuzz/model.ts', to: 'simulator/support-matrix' },
      { from: 'reports/html.ts', to: 'harness/result' },
      { from: 'newroom/x.ts', to: 'contract/wire' },
    ]);
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/contract\/wire.ts imports harness\/client: floor 0/);
    expect(problems.join('\n')).toMatch(/scenarios\/steps.ts imports simulator\/variants: an oracle must not import simulator/);
    expect(problems.join('\n')).toMatch(/harness\/fuzz\/model.ts imports simulator\/support-matrix: an oracle/);
    expect(problems.join('\n')).toMatch(/share floor 1/);
    expect(problems.join('\n')).toMatch(/newroom\/ has no floor/);
  });

  it('allow downward imports and imports within a folder', () => {
    expect(layeringViolations([
      { from: 'harness/runner.ts', to: 'scenarios/dsl' },
      { from: 'harness/ui/demo-workload.ts', to: 'simulator/fleet-generator' },
      { from: 'reports/html.ts', to: 'contract/result-model' },
      { from: 'simulator/mdm/app.ts', to: 'simulator/mdm/sharding/front' },
    ])).toEqual([]);
  });

  it('find a folder-level circle', () => {
    expect(folderCircles([
      { from: 'reports/a.ts', to: 'harness/b' },
      { from: 'harness/c.ts', to: 'reports/d' },
      { from: 'harness/e.ts', to: 'contract/f' },
    ])).toEqual(['harness -> reports -> harness']);
  });
});
