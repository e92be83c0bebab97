import { Box, Text } from 'ink';
import { MATRIX_ACTIONS, matrixKey, type MatrixView } from './run-store.js';
import { OUTCOME_COLOR, OUTCOME_SYMBOL, cell, spinnerFrame, variantLabel } from './theme.js';

const HEADINGS: Record<(typeof MATRIX_ACTIONS)[number], string> = { resetPasscode: 'reset', remoteLock: 'lock', wipe: 'wipe' };
export const MATRIX_CELL_WIDTH = 6;

/** Columns the matrix needs for a given label width. */
export function matrixWidth(labelWidth: number): number {
  return labelWidth + 1 + MATRIX_ACTIONS.length * MATRIX_CELL_WIDTH;
}

export interface MatrixProps {
  view: MatrixView;
  labelWidth: number;
  tick: number;
  /** Rows available, heading included; variants beyond it are summarised in one line. */
  height?: number;
}

/** Variants × actions, each cell the worst outcome so far (· queued, spinner while running). */
export function Matrix({ view, labelWidth, tick, height }: MatrixProps) {
  if (view.variants.length === 0) return <Text dimColor>no variant × action scenarios selected</Text>;
  const room = height === undefined ? view.variants.length : Math.max(1, height - 1);
  const shown = view.variants.length <= room ? view.variants : view.variants.slice(0, Math.max(0, room - 1));
  const hidden = view.variants.length - shown.length;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {cell('conformance', labelWidth)}{' '}
        {MATRIX_ACTIONS.map((a) => cell(HEADINGS[a], MATRIX_CELL_WIDTH)).join('')}
      </Text>
      {shown.map((variant) => (
        <Box key={variant} height={1}>
          <Text>{`${cell(variantLabel(variant, labelWidth), labelWidth)} `}</Text>
          {MATRIX_ACTIONS.map((action) => {
            const c = view.cells.get(matrixKey(variant, action));
            if (!c) return <Text key={action}>{cell('', MATRIX_CELL_WIDTH)}</Text>;
            if (c.worst) {
              const more = c.finished < c.total ? '…' : ' ';
              return (
                <Text key={action} color={OUTCOME_COLOR[c.worst]}>
                  {cell(`  ${OUTCOME_SYMBOL[c.worst]}${more}`, MATRIX_CELL_WIDTH)}
                </Text>
              );
            }
            return (
              <Text key={action} dimColor={c.running === 0}>
                {cell(`  ${c.running > 0 ? spinnerFrame(tick) : '·'}`, MATRIX_CELL_WIDTH)}
              </Text>
            );
          })}
        </Box>
      ))}
      {hidden > 0 ? <Text dimColor>{`… ${hidden} more variants`}</Text> : null}
    </Box>
  );
}
