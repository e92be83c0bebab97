import type { Finding, RunResult } from '../contract/result-model.js';

/** Human duration: "850 ms", "12.3 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** Seconds with millisecond precision, as JUnit `time` attributes expect. */
export function formatSeconds(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3);
}

/** "2025-03-01 09:30:12 UTC" for an ISO timestamp; anything unparseable as given. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function describeTarget(target: RunResult['target']): string {
  if (target.kind === 'embedded') return 'embedded reference MDM';
  return target.url ? `HTTP target ${target.url}` : 'HTTP target';
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

/** A finding as plain text lines, for JUnit bodies and system-out. */
export function findingAsText(finding: Finding): string {
  return [
    `${finding.requirement} (${finding.level}): ${finding.statement}`,
    `  check:    ${finding.check}`,
    `  expected: ${finding.expected}`,
    `  observed: ${finding.observed}`,
  ].join('\n');
}
