import type { ReportWriter } from './report-writer.js';
import type { ComparedScenario, Exchange, Finding, RunComparison, RunResult, ScenarioResult, TransitionCoverage } from '../contract/result-model.js';
import { schemaViolations, type JsonSchema } from './json-schema-check.js';
import { compareRequirementIds } from './requirement-coverage.js';

/**
 * The machine-readable report: the result model itself, with keys in the model's order
 * so two runs diff cleanly, and a JSON Schema that both documents it and guards the
 * reader used by --rerun-failed.
 */

export const JSON_REPORT_SCHEMA_VERSION = 1;

const OUTCOME_ENUM = ['pass', 'fail', 'warn', 'info', 'skip', 'error'] as const;
const count: JsonSchema = { type: 'integer', minimum: 0 };
const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };

export const RUN_RESULT_JSON_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:lockstep:report:run-result:1',
  title: 'lockstep run result',
  description:
    'One conformance run of lockstep against an MDM target. Holds no passcode, PIN or token: observations are recorded as shapes.',
  type: 'object',
  required: [
    'schemaVersion', 'tool', 'target', 'seed', 'startedAt', 'finishedAt', 'durationMs',
    'scenarios', 'requirementCoverage', 'summary',
  ],
  properties: {
    schemaVersion: { const: JSON_REPORT_SCHEMA_VERSION },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'lockstep' }, version: { type: 'string' } },
    },
    target: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['embedded', 'http'] }, url: { type: 'string' } },
    },
    seed: { type: 'integer' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    durationMs: { type: 'number', minimum: 0 },
    scenarios: { type: 'array', items: { $ref: '#/$defs/scenario' } },
    requirementCoverage: {
      description: 'Requirement ID to the ids of the scenarios that checked it.',
      type: 'object',
      additionalProperties: stringList,
    },
    transitionCoverage: { type: 'array', items: { $ref: '#/$defs/transitionCoverage' } },
    summary: { $ref: '#/$defs/summary' },
    incomplete: {
      description: 'Present when the run ended before every planned scenario ran.',
      type: 'object',
      required: ['reason', 'detail', 'planned'],
      properties: { reason: { enum: ['interrupted', 'target-unresponsive'] }, detail: { type: 'string' }, planned: count },
    },
    comparison: {
      description: 'Present with --baseline: what changed against an earlier report.',
      type: 'object',
      required: ['baseline', 'newFailures', 'fixed', 'stillFailing', 'added', 'removed'],
      properties: {
        baseline: { type: 'object', required: ['startedAt', 'target', 'seed'] },
        newFailures: { type: 'array', items: { $ref: '#/$defs/compared' } },
        fixed: { type: 'array', items: { $ref: '#/$defs/compared' } },
        stillFailing: { type: 'array', items: { $ref: '#/$defs/compared' } },
        added: { type: 'array', items: { $ref: '#/$defs/compared' } },
        removed: { type: 'array', items: { $ref: '#/$defs/compared' } },
      },
    },
  },
  $defs: {
    compared: {
      type: 'object',
      required: ['id', 'requirements', 'before', 'after'],
      properties: { id: { type: 'string' }, variant: { type: 'string' }, requirements: stringList },
    },
    exchange: {
      description: 'One HTTP request and its answer; bodies are shapes with every secret replaced.',
      type: 'object',
      required: ['method', 'path', 'role', 'status'],
      properties: {
        method: { type: 'string' }, path: { type: 'string' }, status: { type: 'integer' },
        requestId: { type: 'string' }, deviceId: { type: 'string' },
      },
    },
    level: { enum: ['MUST', 'SHOULD', 'REF'] },
    outcome: { enum: OUTCOME_ENUM },
    finding: {
      type: 'object',
      required: ['requirement', 'level', 'statement', 'check', 'expected', 'observed'],
      properties: {
        requirement: { type: 'string' },
        level: { $ref: '#/$defs/level' },
        statement: { type: 'string' },
        check: { type: 'string' },
        expected: { type: 'string' },
        observed: { type: 'string' },
        evidence: { type: 'array', items: { $ref: '#/$defs/exchange' } },
        devices: stringList,
        devicesTotal: count,
      },
    },
    scenario: {
      type: 'object',
      required: ['id', 'title', 'area', 'requirements', 'tags', 'level', 'outcome', 'expectation', 'durationMs', 'findings'],
      properties: {
        id: { type: 'string' },
        title: { type: 'string' },
        area: { type: 'string' },
        requirements: stringList,
        tags: stringList,
        level: { $ref: '#/$defs/level' },
        variant: { type: 'string' },
        action: { type: 'string' },
        outcome: { $ref: '#/$defs/outcome' },
        expectation: { enum: ['none', 'expected-failure', 'unexpected-pass'] },
        durationMs: { type: 'number', minimum: 0 },
        findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
        message: { type: 'string' },
      },
    },
    transitionCoverage: {
      type: 'object',
      required: ['variant', 'total', 'covered', 'missed'],
      properties: { variant: { type: 'string' }, total: count, covered: count, missed: stringList },
    },
    summary: {
      type: 'object',
      required: [...OUTCOME_ENUM, 'total', 'expectedFailures', 'unexpectedPasses'],
      properties: {
        ...Object.fromEntries(OUTCOME_ENUM.map((outcome) => [outcome, count])),
        total: count,
        expectedFailures: count,
        unexpectedPasses: count,
      },
    },
  },
};

// Explicit copies in the model's key order: JSON.stringify keeps insertion order, and
// drops the optional keys that are undefined.

function orderedExchange(e: Exchange): Exchange {
  return {
    method: e.method, path: e.path, role: e.role, status: e.status, requestId: e.requestId, deviceId: e.deviceId,
    requestBody: e.requestBody, responseBody: e.responseBody,
  } as Exchange;
}

function orderedFinding(f: Finding): Finding {
  return {
    requirement: f.requirement, level: f.level, statement: f.statement, check: f.check, expected: f.expected, observed: f.observed,
    evidence: f.evidence?.map(orderedExchange), devices: f.devices ? [...f.devices] : undefined, devicesTotal: f.devicesTotal,
  } as Finding;
}

function orderedCompared(s: ComparedScenario): ComparedScenario {
  return { id: s.id, variant: s.variant, requirements: [...s.requirements], before: s.before, after: s.after } as ComparedScenario;
}

function orderedComparison(c: RunComparison): RunComparison {
  return {
    baseline: { startedAt: c.baseline.startedAt, target: { kind: c.baseline.target.kind, url: c.baseline.target.url }, seed: c.baseline.seed, source: c.baseline.source },
    newFailures: c.newFailures.map(orderedCompared), fixed: c.fixed.map(orderedCompared), stillFailing: c.stillFailing.map(orderedCompared),
    added: c.added.map(orderedCompared), removed: c.removed.map(orderedCompared),
  } as RunComparison;
}

function orderedScenario(s: ScenarioResult): ScenarioResult {
  return {
    id: s.id,
    title: s.title,
    area: s.area,
    requirements: [...s.requirements],
    tags: [...s.tags],
    level: s.level,
    variant: s.variant,
    action: s.action,
    outcome: s.outcome,
    expectation: s.expectation,
    durationMs: s.durationMs,
    findings: s.findings.map(orderedFinding),
    message: s.message,
  };
}

function orderedTransitionCoverage(t: TransitionCoverage): TransitionCoverage {
  return { variant: t.variant, total: t.total, covered: t.covered, missed: [...t.missed] };
}

function orderedRun(run: RunResult): RunResult {
  const s = run.summary;
  return {
    schemaVersion: run.schemaVersion,
    tool: { name: run.tool.name, version: run.tool.version },
    target: { kind: run.target.kind, url: run.target.url },
    seed: run.seed,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    scenarios: run.scenarios.map(orderedScenario),
    requirementCoverage: Object.fromEntries(
      Object.entries(run.requirementCoverage)
        .sort(([a], [b]) => compareRequirementIds(a, b))
        .map(([id, scenarioIds]) => [id, [...scenarioIds]]),
    ),
    transitionCoverage: run.transitionCoverage?.map(orderedTransitionCoverage),
    summary: {
      pass: s.pass, fail: s.fail, warn: s.warn, info: s.info, skip: s.skip, error: s.error,
      total: s.total, expectedFailures: s.expectedFailures, unexpectedPasses: s.unexpectedPasses,
    },
    incomplete: run.incomplete ? { reason: run.incomplete.reason, detail: run.incomplete.detail, planned: run.incomplete.planned } : undefined,
    comparison: run.comparison ? orderedComparison(run.comparison) : undefined,
  } as RunResult;
}

export function toJsonReport(run: RunResult): string {
  return `${JSON.stringify(orderedRun(run), null, 2)}\n`;
}

const PROBLEMS_SHOWN = 5;

/** Reads a report written by toJsonReport, refusing anything this version cannot trust. */
export function parseJsonReport(text: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`not a lockstep JSON report: the text is not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('not a lockstep JSON report: expected a JSON object at the top level');
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version !== JSON_REPORT_SCHEMA_VERSION) {
    throw new Error(
      `unsupported lockstep JSON report schemaVersion ${JSON.stringify(version) ?? 'undefined'}: ` +
        `this version of lockstep reads schemaVersion ${JSON_REPORT_SCHEMA_VERSION}`,
    );
  }
  const problems = schemaViolations(value, RUN_RESULT_JSON_SCHEMA);
  if (problems.length > 0) {
    const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
    throw new Error(`invalid lockstep JSON report: ${problems.slice(0, PROBLEMS_SHOWN).join('; ')}${more}`);
  }
  return value as RunResult;
}

export const jsonReport: ReportWriter = { id: 'json', fileName: 'report.json', audience: 'machines, --rerun-failed, --baseline and lockstep diff', render: toJsonReport };
