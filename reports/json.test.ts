import { describe, expect, it } from 'vitest';
import type { RunResult } from '../contract/result-model.js';
import { JSON_REPORT_SCHEMA_VERSION, RUN_RESULT_JSON_SCHEMA, parseJsonReport, toJsonReport } from './json.js';
import { schemaViolations, type JsonSchema } from './json-schema-check.js';
import { runOf, sampleRun, scenario } from './test-support/sample-run.js';

function reportObject(run: RunResult = sampleRun()): Record<string, unknown> {
  return JSON.parse(toJsonReport(run)) as Record<string, unknown>;
}

describe('toJsonReport', () => {
  it('round-trips through parseJsonReport', () => {
    const run = sampleRun();
    expect(parseJsonReport(toJsonReport(run))).toEqual(run);
  });

  it('is pretty-printed and ends with a newline', () => {
    const text = toJsonReport(sampleRun());
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('writes keys in the order of the model, whatever order the object was built in', () => {
    const run = sampleRun();
    const shuffled = Object.fromEntries(Object.entries(run).reverse()) as unknown as RunResult;
    expect(toJsonReport(shuffled)).toBe(toJsonReport(run));
    expect(Object.keys(reportObject())).toEqual([
      'schemaVersion', 'tool', 'target', 'seed', 'startedAt', 'finishedAt', 'durationMs',
      'scenarios', 'requirementCoverage', 'transitionCoverage', 'summary',
    ]);
  });

  it('orders requirement coverage by catalogue order (DL-2 before DL-10)', () => {
    const run = runOf([
      scenario({ id: 'a', outcome: 'pass', requirements: ['DL-10', 'ST-1', 'DL-2', 'AN-1'] }),
    ]);
    expect(Object.keys(reportObject(run).requirementCoverage as object)).toEqual(['DL-2', 'DL-10', 'AN-1', 'ST-1']);
  });

  it('omits optional keys that are absent', () => {
    const run = runOf([scenario({ id: 'a', outcome: 'pass' })]);
    const obj = reportObject(run);
    expect('transitionCoverage' in obj).toBe(false);
    expect(obj.target).toEqual({ kind: 'embedded' });
    const [first] = obj.scenarios as Record<string, unknown>[];
    expect(first && 'variant' in first).toBe(false);
    expect(first && 'message' in first).toBe(false);
  });
});

describe('parseJsonReport', () => {
  it('rejects another schemaVersion, naming both versions', () => {
    const text = JSON.stringify({ ...reportObject(), schemaVersion: 2 });
    expect(() => parseJsonReport(text)).toThrow(/unsupported lockstep JSON report schemaVersion 2.*reads schemaVersion 1/);
    const missing = reportObject();
    delete missing.schemaVersion;
    expect(() => parseJsonReport(JSON.stringify(missing))).toThrow(/schemaVersion undefined/);
  });

  it('rejects text that is not JSON, or not an object', () => {
    expect(() => parseJsonReport('<testsuites/>')).toThrow(/not valid JSON/);
    expect(() => parseJsonReport('[1, 2]')).toThrow(/JSON object/);
  });

  it('rejects a report of the wrong shape, saying where', () => {
    const obj = reportObject();
    const scenarios = obj.scenarios as Record<string, unknown>[];
    scenarios[1] = { ...scenarios[1], outcome: 'exploded' };
    delete scenarios[2]?.id;
    expect(() => parseJsonReport(JSON.stringify(obj))).toThrow(
      /invalid lockstep JSON report: \$\.scenarios\[1\]\.outcome: must be one of .*; \$\.scenarios\[2\]\.id: is required/,
    );
    expect(() => parseJsonReport(JSON.stringify({ schemaVersion: 1 }))).toThrow(/\$\.tool: is required/);
  });

  it('gives a single-line message (the CLI prints only the first line)', () => {
    try {
      parseJsonReport(JSON.stringify({ schemaVersion: 1, scenarios: 'x' }));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('RUN_RESULT_JSON_SCHEMA', () => {
  it('declares draft 2020-12 and version 1', () => {
    expect(RUN_RESULT_JSON_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(RUN_RESULT_JSON_SCHEMA.properties?.schemaVersion?.const).toBe(JSON_REPORT_SCHEMA_VERSION);
  });

  it('accepts a produced report, including one with an http target and no transition coverage', () => {
    expect(schemaViolations(reportObject(), RUN_RESULT_JSON_SCHEMA)).toEqual([]);
    const http = runOf([scenario({ id: 'x', outcome: 'skip', message: 'why' })], { target: { kind: 'http', url: 'http://127.0.0.1:3000' } });
    expect(schemaViolations(reportObject(http), RUN_RESULT_JSON_SCHEMA)).toEqual([]);
  });

  // Independent of the checker: every key the report holds is described by the schema,
  // and every key the schema requires is in the report, at every depth.
  it('describes every key of a produced report, recursively', () => {
    const root = RUN_RESULT_JSON_SCHEMA;
    const resolve = (s: JsonSchema): JsonSchema => (s.$ref ? (root.$defs?.[s.$ref.replace('#/$defs/', '')] ?? {}) : s);
    const walk = (value: unknown, schema: JsonSchema, path: string): string[] => {
      const s = resolve(schema);
      if (Array.isArray(value)) return s.items ? value.flatMap((v, i) => walk(v, s.items ?? {}, `${path}[${i}]`)) : [];
      if (typeof value !== 'object' || value === null) return [];
      const obj = value as Record<string, unknown>;
      const problems = (s.required ?? []).filter((k) => !(k in obj)).map((k) => `${path}.${k} missing`);
      for (const [key, child] of Object.entries(obj)) {
        const childSchema = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        if (!childSchema) problems.push(`${path}.${key} not in schema`);
        else problems.push(...walk(child, childSchema, `${path}.${key}`));
      }
      return problems;
    };
    expect(walk(reportObject(), root, '$')).toEqual([]);
  });
});

describe('schemaViolations', () => {
  it('checks types, const, enum, minimum, required and additionalProperties', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'integer', minimum: 0 }, k: { enum: ['a', 'b'] }, c: { const: 1 } },
      additionalProperties: false,
    };
    expect(schemaViolations({ n: 1, k: 'a', c: 1 }, schema)).toEqual([]);
    expect(schemaViolations({ n: -1 }, schema)).toEqual(['$.n: must be at least 0']);
    expect(schemaViolations({ n: 1.5 }, schema)).toEqual(['$.n: must be integer']);
    expect(schemaViolations({ k: 'z', c: 2, extra: true }, schema)).toEqual([
      '$.n: is required',
      '$.k: must be one of "a", "b"',
      '$.c: must be 1',
      '$.extra: is not allowed',
    ]);
    expect(schemaViolations([], schema)).toEqual(['$: must be object']);
  });
});
