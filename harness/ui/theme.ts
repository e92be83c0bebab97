import type { Outcome } from '../../contract/result-model.js';

/** Order outcomes are listed in (counts, legends). */
export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'warn', 'info', 'skip', 'error'];

export const OUTCOME_SYMBOL: Readonly<Record<Outcome, string>> = {
  pass: '✔',
  fail: '✘',
  warn: '⚠',
  info: 'ℹ',
  skip: '○',
  error: '!',
};

/** Ink/chalk colour names. */
export const OUTCOME_COLOR: Readonly<Record<Outcome, string>> = {
  pass: 'green',
  fail: 'red',
  warn: 'yellow',
  info: 'cyan',
  skip: 'gray',
  error: 'magenta',
};

/** How bad an outcome is, for a matrix cell that shows the worst of several (skip hides nothing). */
export const OUTCOME_RANK: Readonly<Record<Outcome, number>> = { skip: 0, pass: 1, info: 2, warn: 3, fail: 4, error: 5 };

export function worstOutcome(outcomes: Iterable<Outcome>): Outcome | null {
  let worst: Outcome | null = null;
  for (const o of outcomes) if (worst === null || OUTCOME_RANK[o] > OUTCOME_RANK[worst]) worst = o;
  return worst;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** A braille spinner frame; `tick` advances once per render tick. */
export function spinnerFrame(tick: number): string {
  return SPINNER[((tick % SPINNER.length) + SPINNER.length) % SPINNER.length]!;
}

/** Cuts `text` to `width` columns, with an ellipsis when it had to cut. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return text.slice(0, width - 1) + '…';
}

/**
 * `text` cut to `width` columns as [head, cut]: render the head and, when cut, an ellipsis in
 * a Text of its own. Ink measures every line each frame and any non-ASCII character sends the
 * whole line down string-width's slow path (about 100 times slower), so long runs of text stay ASCII.
 */
export function fitParts(text: string, width: number): [string, boolean] {
  if (width <= 0) return ['', false];
  if (text.length <= width) return [text, false];
  return [text.slice(0, width - 1), true];
}

/** Pads or cuts to exactly `width` columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = fit(text, width);
  return align === 'left' ? t.padEnd(width) : t.padStart(width);
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

const SHORT_VARIANT: Readonly<Record<string, string>> = {
  'android-da-legacy': 'da-legacy',
  'android-da-modern': 'da-modern',
  'ae-work-profile-personal': 'ae-wp-personal',
  'ae-work-profile-corporate': 'ae-wp-corporate',
  'ae-fully-managed': 'ae-fully-mgd',
  'ae-dedicated': 'ae-dedicated',
  'aosp-user-associated': 'aosp-user',
  'aosp-userless': 'aosp-userless',
  'ios-device': 'ios-device',
  'ios-user-enrollment': 'ios-user-enr',
};

/** A variant key that fits `width`: in full, else a short form that keeps variants apart. */
export function variantLabel(variant: string, width: number): string {
  if (variant.length <= width) return variant;
  return fit(SHORT_VARIANT[variant] ?? variant, width);
}
