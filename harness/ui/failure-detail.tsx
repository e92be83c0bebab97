import { Box, Text } from 'ink';
import type { DetailLine } from './detail-lines.js';
import { OUTCOME_COLOR } from './theme.js';

export interface FailureDetailProps {
  lines: readonly DetailLine[];
  /** First line shown. */
  scroll: number;
  width: number;
  height: number;
}

const TONE_COLOR: Readonly<Record<string, string>> = {
  ...OUTCOME_COLOR,
  title: 'white', expected: 'green', observed: 'red', must: 'red', should: 'yellow', ref: 'cyan', note: 'yellow',
};

/** A window of a scenario's detail lines (see detailLines) inside a border, never taller than `height`. */
export function FailureDetail({ lines, scroll, width, height }: FailureDetailProps) {
  const inner = Math.max(1, height - 2);
  const start = Math.max(0, Math.min(scroll, Math.max(0, lines.length - inner)));
  const shown = lines.slice(start, start + inner);
  const more = lines.length - (start + shown.length);
  return (
    <Box flexDirection="column" width={width} height={Math.min(height, shown.length + 2)} borderStyle="round" borderColor="gray" paddingX={1} overflow="hidden">
      {shown.map((line, i) => {
        const last = i === shown.length - 1 && more > 0;
        const text = last ? `… ${more} more lines (pgdn)` : line.text || ' ';
        const color = last ? 'gray' : line.tone && line.tone !== 'dim' ? TONE_COLOR[line.tone] : undefined;
        return (
          <Text key={start + i} wrap="truncate" bold={Boolean(line.bold)} dimColor={!last && line.tone === 'dim'} {...(color ? { color } : {})}>
            {text}
          </Text>
        );
      })}
    </Box>
  );
}
