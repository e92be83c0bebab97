import { Box, Text } from 'ink';
import type { Outcome } from '../../contract/result-model.js';
import { OUTCOMES, OUTCOME_COLOR, OUTCOME_SYMBOL } from './theme.js';

export interface ProgressBarProps {
  counts: Readonly<Record<Outcome, number>>;
  finished: number;
  total: number;
  width: number;
}

/** A bar coloured by outcome share, then "done/total" and the count of each outcome. */
export function ProgressBar({ counts, finished, total, width }: ProgressBarProps) {
  const label = ` ${finished}/${total} `;
  const legend = OUTCOMES.map((o) => `${OUTCOME_SYMBOL[o]} ${counts[o]}`).join(' ');
  // The bar takes what the label and legend leave, but at least 10 columns.
  const barWidth = Math.max(10, width - label.length - legend.length - 3);
  const filled = total > 0 ? Math.round((finished / total) * barWidth) : 0;
  const segments: Array<{ outcome: Outcome; chars: number }> = [];
  let used = 0;
  let carried = 0;
  for (const o of OUTCOMES) {
    if (counts[o] === 0 || finished === 0) continue;
    const exact = (counts[o] / finished) * filled + carried;
    // Any outcome that happened gets at least one cell, so a single failure is visible.
    const chars = Math.max(1, Math.round(exact));
    carried = exact - chars;
    segments.push({ outcome: o, chars });
    used += chars;
  }
  // Trim rounding overshoot from the largest segment.
  while (used > filled && segments.length > 0) {
    const largest = segments.reduce((a, b) => (b.chars > a.chars ? b : a));
    if (largest.chars <= 1) break;
    largest.chars--;
    used--;
  }
  const rest = Math.max(0, barWidth - used);
  return (
    <Box height={1}>
      {segments.map((seg) => (
        <Text key={seg.outcome} color={OUTCOME_COLOR[seg.outcome]}>
          {'█'.repeat(seg.chars)}
        </Text>
      ))}
      {rest > 0 ? <Text dimColor>{'░'.repeat(rest)}</Text> : null}
      <Text bold>{label}</Text>
      {OUTCOMES.map((o, i) => (
        <Text key={o} color={OUTCOME_COLOR[o]} dimColor={counts[o] === 0}>
          {`${i > 0 ? ' ' : ''}${OUTCOME_SYMBOL[o]} ${counts[o]}`}
        </Text>
      ))}
    </Box>
  );
}
