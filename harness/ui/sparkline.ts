const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The last `width` values as block characters scaled to their maximum (a blank for zero). */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(Math.max(0, values.length - width));
  const max = Math.max(0, ...shown);
  let out = '';
  for (const v of shown) {
    if (v <= 0 || max === 0) out += ' ';
    else out += BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))]!;
  }
  return out.padStart(Math.min(width, values.length), ' ');
}
