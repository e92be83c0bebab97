/** Small helpers for the bench: medians, formatting and the result table. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 12345.6 -> "12 346"; small values keep a decimal or two. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = value.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return unit ? `${text} ${unit}` : text;
}

export function pct(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : '-';
}

export interface Row {
  section: string;
  figure: string;
  value: string;
  ceiling: string;
  ratio: string;
  target: string;
  /** true: target met, false: missed, null: no target (or skipped). */
  ok: boolean | null;
  note?: string;
}

export function table(rows: readonly Row[]): string {
  const head = ['figure', 'value', 'ceiling', 'ratio', 'target', ''];
  const cells = rows.map((r) => [r.figure, r.value, r.ceiling, r.ratio, r.target, r.ok === null ? '' : r.ok ? '✓' : '✗']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === 1 || i === 2 || i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  let section = '';
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.section !== section) {
      section = rows[i]!.section;
      if (i > 0) out.push('');
    }
    out.push(line(cells[i]!));
    if (rows[i]!.note) out.push(`    ${rows[i]!.note}`);
  }
  return out.join('\n');
}
