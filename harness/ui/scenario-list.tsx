import { Box, Text } from 'ink';
import type { AreaGroup, ScenarioRow } from './run-store.js';
import { rowLabel } from './run-layout.js';
import { OUTCOME_COLOR, OUTCOME_SYMBOL, fit, spinnerFrame } from './theme.js';

export type ListLine = { kind: 'area'; group: AreaGroup } | { kind: 'row'; row: ScenarioRow };

export function flatten(groups: readonly AreaGroup[]): ListLine[] {
  const lines: ListLine[] = [];
  for (const group of groups) {
    lines.push({ kind: 'area', group });
    for (const row of group.rows) lines.push({ kind: 'row', row });
  }
  return lines;
}

/** First line of a window of `height` lines that keeps line `anchor` in view, moving as little as possible from `previous`. */
export function windowStart(previous: number, anchor: number, height: number, length: number): number {
  let start = previous;
  if (anchor >= 0) {
    if (anchor < start) start = Math.max(0, anchor - 1);
    else if (anchor >= start + height) start = anchor - height + 1;
  }
  return Math.max(0, Math.min(start, length - height));
}

export interface ScenarioListProps {
  lines: readonly ListLine[];
  start: number;
  height: number;
  width: number;
  selectedId: string | null;
  tick: number;
}

function statusMark(row: ScenarioRow, tick: number) {
  if (row.status === 'running') return <Text color="blue">{spinnerFrame(tick)}</Text>;
  if (row.status === 'queued') return <Text dimColor>·</Text>;
  return <Text color={OUTCOME_COLOR[row.status]}>{OUTCOME_SYMBOL[row.status]}</Text>;
}

function rowNote(row: ScenarioRow): string {
  if (row.status === 'running' && row.progress) return `${row.progress.done}/${row.progress.total}`;
  if (row.result) {
    const note = row.result.expectation === 'expected-failure' ? 'expected ' : row.result.expectation === 'unexpected-pass' ? 'unexpected ' : '';
    return `${note}${row.result.durationMs}ms`;
  }
  return '';
}

/** Scenarios grouped by area, a window of `height` lines starting at `start`. */
export function ScenarioList({ lines, start, height, width, selectedId, tick }: ScenarioListProps) {
  const visible = lines.slice(start, start + height);
  return (
    <Box flexDirection="column" width={width}>
      {visible.map((line) => {
        if (line.kind === 'area') {
          const { group } = line;
          const done = group.rows.filter((r) => r.result).length;
          const bad = group.rows.filter((r) => r.result && r.result.outcome !== 'pass' && r.result.outcome !== 'skip').length;
          return (
            <Text key={`area:${group.area}`} bold wrap="truncate">
              {fit(group.area, width - 12)}{' '}
              <Text dimColor>{`${done}/${group.rows.length}`}</Text>
              {bad > 0 ? <Text color="red">{` ✘${bad}`}</Text> : null}
            </Text>
          );
        }
        const { row } = line;
        const selected = row.id === selectedId;
        const note = rowNote(row);
        const room = Math.max(4, width - 4 - (note ? note.length + 1 : 0));
        const label = rowLabel(row.id, room);
        const pad = Math.max(0, room - label.length);
        return (
          <Box key={row.id} width={width} height={1}>
            <Text inverse={selected}>{selected ? '▸' : ' '}</Text>
            <Text inverse={selected}> </Text>
            {statusMark(row, tick)}
            <Text inverse={selected}>{` ${label}`}</Text>
            <Text inverse={selected} dimColor={!selected}>{`${' '.repeat(pad)}${note ? ` ${note}` : ''}`}</Text>
          </Box>
        );
      })}
    </Box>
  );
}

/** The line to keep in view: the selection, else the most recently changed running scenario, else the most recently changed one. */
export function listAnchor(rowLines: readonly { row: ScenarioRow; index: number }[], selectedIndex: number): number {
  if (selectedIndex >= 0) return selectedIndex;
  let best = -1;
  let bestRunning = false;
  for (let i = 0; i < rowLines.length; i++) {
    const row = rowLines[i]!.row;
    const running = row.status === 'running';
    if (best < 0 || (running && !bestRunning) || (running === bestRunning && row.touched > rowLines[best]!.row.touched)) {
      best = i;
      bestRunning = running;
    }
  }
  return best >= 0 ? rowLines[best]!.index : -1;
}
