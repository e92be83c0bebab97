import type { Exchange, Finding } from '../contract/result-model.js';

/** Findings of one requirement: the statement is shown once, then each check. */
export interface RequirementFindings {
  requirement: string;
  level: Finding['level'];
  statement: string;
  findings: Finding[];
}

/** Groups findings by requirement, in the order they were first found. */
export function groupFindings(findings: readonly Finding[]): RequirementFindings[] {
  const groups = new Map<string, RequirementFindings>();
  for (const f of findings) {
    let group = groups.get(f.requirement);
    if (!group) groups.set(f.requirement, (group = { requirement: f.requirement, level: f.level, statement: f.statement, findings: [] }));
    group.findings.push(f);
  }
  return [...groups.values()];
}

const BODY_CHARS = 600;

/** Fields a reader looks for first in an answer; the device inventory comes after them. */
const FIRST_KEYS = ['error', 'deviceActionResults', 'actionState', 'value', 'id', 'lockScreen', 'devicePasscode', 'workProfile', 'pendingCommands'];

function leadingKeysFirst(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const entries = Object.entries(body);
  const rank = (k: string) => (FIRST_KEYS.includes(k) ? FIRST_KEYS.indexOf(k) : FIRST_KEYS.length);
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b)));
}

/** A body on one line, the fields that matter first, cut to a readable length. */
export function bodyText(body: unknown, max = BODY_CHARS): string {
  const text = typeof body === 'string' ? body : JSON.stringify(leadingKeysFirst(body));
  if (text === undefined) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "POST /beta/deviceManagement/managedDevices/ab12/resetPasscode as helpdesk-operator → 204" */
export function exchangeHeadline(exchange: Exchange): string {
  return `${exchange.method} ${exchange.path} as ${exchange.role ?? '(no token)'} → ${exchange.status}`;
}

/** "request-id 1f2e… · device ab12" (empty when the target gave neither). */
export function exchangeIds(exchange: Exchange): string {
  return [exchange.requestId ? `request-id ${exchange.requestId}` : '', exchange.deviceId ? `device ${exchange.deviceId}` : '']
    .filter(Boolean)
    .join(' · ');
}

/** An exchange as indented plain text lines (CLI detail, JUnit system-out). */
export function exchangeAsText(exchange: Exchange, indent = '    '): string[] {
  const ids = exchangeIds(exchange);
  const lines = [`${indent}${exchangeHeadline(exchange)}${ids ? `  (${ids})` : ''}`];
  if (exchange.requestBody !== undefined) lines.push(`${indent}  sent:     ${bodyText(exchange.requestBody)}`);
  if (exchange.responseBody !== undefined) lines.push(`${indent}  answered: ${bodyText(exchange.responseBody)}`);
  return lines;
}

/** "41 devices: a1, b2, c3 … (+38 more)", or '' for a finding about no device in particular. */
export function devicesText(finding: Finding, shown = 8): string {
  const devices = finding.devices ?? [];
  if (devices.length === 0) return '';
  const total = Math.max(finding.devicesTotal ?? devices.length, devices.length);
  const list = devices.slice(0, shown).join(', ');
  const more = total > Math.min(shown, devices.length) ? ` (+${total - Math.min(shown, devices.length)} more)` : '';
  return `${total === 1 ? 'device' : `${total} devices`}: ${list}${more}`;
}

/** Findings as plain text: each requirement's statement once, then its checks with evidence. */
export function findingsAsText(findings: readonly Finding[], options: { evidence?: boolean } = {}): string {
  const out: string[] = [];
  for (const group of groupFindings(findings)) {
    out.push(`${group.requirement} (${group.level}): ${group.statement}`);
    for (const f of group.findings) {
      out.push(`  check:    ${f.check}`, `  expected: ${f.expected}`, `  observed: ${f.observed}`);
      const devices = devicesText(f);
      if (devices) out.push(`  ${devices}`);
      if (options.evidence !== false && f.evidence?.length) {
        out.push('  evidence:');
        for (const ex of f.evidence) out.push(...exchangeAsText(ex));
      }
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
