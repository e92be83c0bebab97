import type { ComparedScenario, RunResult } from '../contract/result-model.js';
import { changesByRequirement, comparisonHeadline } from './diff.js';
import { escapeHtml as esc } from './escape.js';
import { describeTarget, formatTimestamp } from './format.js';

/** The "compared with a baseline" panel of report.html (empty without --baseline). */
export function comparisonHtml(run: RunResult, link: (scenarioId: string) => string): string {
  const c = run.comparison;
  if (!c) return '';
  const list = (title: string, cls: string, items: ComparedScenario[]) =>
    items.length === 0
      ? ''
      : `<details class="diff ${cls}"${cls === 'new' ? ' open' : ''}><summary><b>${esc(title)} (${items.length})</b></summary><table><tbody>${items
          .map((s) => `<tr><td>${link(s.id)}</td><td>${esc(s.requirements.join(', '))}</td><td>${esc(s.variant ?? '')}</td><td class="mono">${esc(s.before ?? 'absent')} → ${esc(s.after ?? 'absent')}</td></tr>`)
          .join('')}</tbody></table></details>`;
  const byRequirement = changesByRequirement(c)
    .map((r) => `<tr><td><b>${esc(r.requirement)}</b></td><td>${r.newFailures || ''}</td><td>${r.fixed || ''}</td><td>${r.stillFailing || ''}</td></tr>`)
    .join('');
  const source = c.baseline.source ? ` (${esc(c.baseline.source)})` : '';
  return `<section class="panel" id="comparison">
  <h2>Compared with the baseline</h2>
  <p><b>${esc(comparisonHeadline(c))}</b> <span class="muted">against the run of ${esc(formatTimestamp(c.baseline.startedAt))} on ${esc(describeTarget(c.baseline.target))}, seed ${c.baseline.seed}${source}</span></p>
  ${list('New failures', 'new', c.newFailures)}${list('Fixed', 'fixed', c.fixed)}${list('Still failing', 'still', c.stillFailing)}
  ${byRequirement ? `<details><summary>By requirement</summary><table><thead><tr><th>Requirement</th><th>New</th><th>Fixed</th><th>Still failing</th></tr></thead><tbody>${byRequirement}</tbody></table></details>` : ''}
</section>`;
}
