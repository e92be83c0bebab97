import { Box, Text, useInput } from 'ink';
import { useRef, useState, type ReactNode } from 'react';
import { FailureDetail } from './failure-detail.js';
import { Matrix, matrixWidth } from './matrix.js';
import { ProgressBar } from './progress-bar.js';
import { isProblem, type RunStore } from './run-store.js';
import { ScenarioList, flatten, windowStart } from './scenario-list.js';
import { fit, formatElapsed } from './theme.js';
import { FRAME_MS, useFrame, useTerminalSize, type TerminalSize } from './use-frame.js';

export interface RunInfo {
  version: string;
  /** "embedded reference MDM" or the target URL. */
  target: string;
  seed: number;
}

export interface RunAppProps {
  store: RunStore;
  info: RunInfo;
  /** `q` (or Ctrl+C) while running: stop starting scenarios; those running finish and reports are written. */
  onQuit: () => void;
  /** `q` again while stopping: leave without waiting. */
  onForceQuit?: () => void;
  /** The run ended: no keys, the final frame. */
  final?: boolean;
  /** Listen for keys (false when stdin is not a terminal). */
  keys?: boolean;
  size?: Partial<TerminalSize>;
  frameMs?: number;
  /** Frames drawn by the store's pump (advances the spinner when timers are starved). */
  pulse?: number;
}

/** Lines the layout keeps for itself: header, progress bar, key help, and one spare so Ink never goes full-screen. */
const CHROME_LINES = 4;

export function RunApp({ store, info, onQuit, onForceQuit, final = false, keys = true, size, frameMs = FRAME_MS, pulse = 0 }: RunAppProps) {
  const tick = useFrame(store, frameMs, !final) + pulse;
  const { columns, rows } = useTerminalSize(size);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detail, setDetail] = useState(false);
  const [failuresOnly, setFailuresOnly] = useState(false);
  const startRef = useRef(0);

  const groups = store.groups(failuresOnly ? isProblem : undefined);
  const lines = flatten(groups);
  const rowLines = lines.flatMap((l, i) => (l.kind === 'row' ? [{ id: l.row.id, index: i, row: l.row }] : []));
  const selectedIndex = rowLines.findIndex((r) => r.id === selectedId);
  const selected = selectedIndex >= 0 ? rowLines[selectedIndex]!.row : null;
  // Ink may call a key handler from an earlier render: it reads the current list and selection through refs.
  const rowLinesRef = useRef(rowLines);
  rowLinesRef.current = rowLines;
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) {
        if (store.stopping) onForceQuit?.();
        else {
          store.markStopping();
          onQuit();
        }
        return;
      }
      if (key.upArrow || key.downArrow) {
        const down = key.downArrow;
        const list = rowLinesRef.current;
        if (list.length === 0) return;
        const at = list.findIndex((r) => r.id === selectedRef.current);
        const next = at < 0 ? (down ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + (down ? 1 : -1)));
        selectedRef.current = list[next]!.id;
        setSelectedId(selectedRef.current);
        return;
      }
      if (key.return) {
        const list = rowLinesRef.current;
        if (!list.some((r) => r.id === selectedRef.current)) {
          // Nothing selected yet: jump to the first problem (or the first scenario) and open it.
          const first = list.find((r) => isProblem(r.row)) ?? list[0];
          if (!first) return;
          selectedRef.current = first.id;
          setSelectedId(first.id);
          setDetail(true);
          return;
        }
        setDetail((d) => !d);
        return;
      }
      if (key.escape) {
        setDetail(false);
        return;
      }
      if (input === 'f') setFailuresOnly((f) => !f);
    },
    { isActive: !final && keys },
  );

  const state0 = store.stopping ? 'stopping: 00 running' : '00 running';
  const header = headerText(info, store.total, formatElapsed(store.elapsedMs()), columns - state0.length - 1);
  const state = final
    ? store.stopping
      ? 'stopped'
      : 'done'
    : store.stopping
      ? `stopping: ${store.running} running`
      : `${store.running} running`;

  if (final) {
    const view = store.matrix();
    const labelWidth = Math.max(12, Math.min(25, columns - 20));
    return (
      <Box flexDirection="column" width={columns}>
        <Text bold wrap="truncate">
          {header} <Text color={store.stopping ? 'yellow' : 'green'}>{state}</Text>
        </Text>
        <ProgressBar counts={store.counts} finished={store.finished} total={store.total} width={columns} />
        <Matrix view={view} labelWidth={labelWidth} tick={tick} />
      </Box>
    );
  }

  const bodyHeight = Math.max(3, rows - CHROME_LINES);
  const view = store.matrix();
  const matrixLines = view.variants.length + 1;
  const twoColumns = columns >= 72;
  const labelWidth = Math.max(12, Math.min(25, columns - 60));
  const rightWidth = twoColumns ? Math.max(matrixWidth(labelWidth), detail && columns >= 100 ? Math.floor(columns / 2) : 0) : columns;
  const leftWidth = twoColumns ? columns - rightWidth - 1 : columns;

  let listHeight = bodyHeight;
  let right: ReactNode = null;
  let below: ReactNode = null;
  const detailBox = (height: number, width: number) => (selected ? <FailureDetail row={selected} width={width} height={height} /> : <Text dimColor>select a scenario with ↑/↓</Text>);
  if (twoColumns) {
    if (detail && bodyHeight >= matrixLines + 10) {
      right = (
        <Box flexDirection="column">
          <Matrix view={view} labelWidth={labelWidth} tick={tick} />
          {detailBox(bodyHeight - matrixLines, rightWidth)}
        </Box>
      );
    } else if (detail) {
      right = detailBox(bodyHeight, rightWidth);
    } else {
      right = <Matrix view={view} labelWidth={labelWidth} tick={tick} height={bodyHeight} />;
    }
  } else if (detail) {
    listHeight = 0;
    below = detailBox(bodyHeight, columns);
  } else if (bodyHeight - matrixLines - 1 >= 3) {
    listHeight = bodyHeight - matrixLines - 1;
    below = <Matrix view={view} labelWidth={Math.min(labelWidth, columns - 19)} tick={tick} />;
  }

  // Keep the selection in view; without one, follow the newest activity.
  let anchor = selectedIndex >= 0 ? rowLines[selectedIndex]!.index : -1;
  if (anchor < 0) {
    // The most recently changed running scenario, else the most recently changed one.
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
    anchor = best >= 0 ? rowLines[best]!.index : -1;
  }
  const start = windowStart(startRef.current, anchor, listHeight, lines.length);
  startRef.current = start;

  const help = store.stopping
    ? `stopping: waiting for ${store.running} running scenario${store.running === 1 ? '' : 's'}; q again leaves now`
    : `↑/↓ select · enter ${detail ? 'close' : 'details'} · f ${failuresOnly ? 'all scenarios' : 'failures only'} · q stop`;

  return (
    <Box flexDirection="column" width={columns}>
      <Text bold wrap="truncate">
        {fit(header, Math.max(10, columns - state.length - 1))} <Text color={store.stopping ? 'yellow' : 'blue'}>{state}</Text>
      </Text>
      <ProgressBar counts={store.counts} finished={store.finished} total={store.total} width={columns} />
      <Box flexDirection={twoColumns ? 'row' : 'column'} height={bodyHeight}>
        {listHeight > 0 ? (
          lines.length > 0 ? (
            <ScenarioList lines={lines} start={start} height={listHeight} width={leftWidth} selectedId={selectedId} tick={tick} />
          ) : (
            <Box width={leftWidth}>
              <Text dimColor>{failuresOnly ? 'no failures so far' : 'waiting for the first scenario'}</Text>
            </Box>
          )
        ) : null}
        {right ? (
          <Box marginLeft={1} width={rightWidth} flexDirection="column">
            {right}
          </Box>
        ) : null}
        {below}
      </Box>
      <Text dimColor wrap="truncate">
        {failuresOnly ? <Text color="yellow">[failures only] </Text> : null}
        {help}
      </Text>
    </Box>
  );
}

/** The header, dropping the least useful parts first so the elapsed time always shows. */
export function headerText(info: RunInfo, total: number, elapsed: string, width: number): string {
  const target = info.target === 'embedded reference MDM' ? ['embedded reference MDM', 'embedded'] : [info.target];
  const candidates: string[] = [];
  for (const t of target) {
    candidates.push(`lockstep ${info.version} · ${t} · seed ${info.seed} · ${total} scenarios · ${elapsed}`);
    candidates.push(`lockstep · ${t} · seed ${info.seed} · ${total} scenarios · ${elapsed}`);
  }
  candidates.push(`${elapsed} · ${total} scenarios · seed ${info.seed} · ${target.at(-1)}`);
  return candidates.find((c) => c.length <= width) ?? candidates.at(-1)!;
}
