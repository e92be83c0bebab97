import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonReport } from './json.js';
import { sampleRun } from './test-support/sample-run.js';
import { writeReports } from './write-reports.js';

describe('writeReports', () => {
  const created: string[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes the four reports into a directory it creates', async () => {
    const base = await mkdtemp(join(tmpdir(), 'lockstep-reports-'));
    created.push(base);
    const dir = join(base, 'nested', 'out');
    const run = sampleRun();

    const paths = await writeReports(run, dir);

    expect(paths).toEqual({
      junit: join(dir, 'junit.xml'),
      json: join(dir, 'report.json'),
      markdown: join(dir, 'report.md'),
      html: join(dir, 'report.html'),
    });
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(parseJsonReport(await readFile(paths.json!, 'utf8'))).toEqual(run);
    expect(await readFile(paths.junit!, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(await readFile(paths.markdown!, 'utf8')).toMatch(/^# lockstep conformance report/);
    expect(await readFile(paths.html!, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('overwrites the reports of an earlier run in the same directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockstep-reports-'));
    created.push(dir);
    await writeReports(sampleRun(), dir);
    const second = { ...sampleRun(), seed: 99 };
    const paths = await writeReports(second, dir);
    expect(parseJsonReport(await readFile(paths.json!, 'utf8')).seed).toBe(99);
  });
});
