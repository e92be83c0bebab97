import { Box, Text } from 'ink';
import { useRef } from 'react';
import { detailLines } from './detail-lines.js';
import { FailureDetail } from './failure-detail.js';
import { Matrix } from './matrix.js';
import { ProgressBar } from './progress-bar.js';
import { runLayout } from './run-layout.js';
import type { RunStore } from './run-store.js';
import { RunViewState } from './run-view.js';
import { ScenarioList, flatten, listAnchor, windowStart } from './scenario-list.js';
import { fit, formatElapsed } from './theme.js';
import { useRunKeys } from './use-run-keys.js';
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
  /** `q` after the run ended: close the view. */
  onClose?: () => void;
  /** The run ended: the view stays, with its keys, until `q`. */
  final?: boolean;
  /** Listen for keys (false when stdin is not a terminal). */
  keys?: boolean;
  /** The view's state (selection, detail, filters); the session owns it so it survives re-mounts. */
  view?: RunViewState;
  size?: Partial<TerminalSize>;
  frameMs?: number;
  /** Frames drawn by the store's pump (advances the spinner when timers are starved). */
  pulse?: number;
}

/** The run screen: header, progress, the scenario list, the matrix and a failure's detail. Layout only; state lives in RunStore and RunViewState. */
export function RunApp({ store, info, onQuit, onForceQuit, onClose, final = false, keys = true, view: given, size, frameMs = FRAME_MS, pulse = 0 }: RunAppProps) {
  const tick = useFrame(store, frameMs, !final) + pulse;
  const { columns, rows } = useTerminalSize(size);
  const own = useRef<RunViewState | null>(null);
  const view = given ?? (own.current ??= new RunViewState());
  const startRef = useRef(0);

  const lines = flatten(store.groups(view.keep()));
  const rowLines = lines.flatMap((l, i) => (l.kind === 'row' ? [{ row: l.row, index: i }] : []));
  const selected = rowLines.find((r) => r.row.id === view.selectedId) ?? null;
  const matrixView = store.matrix();
  const layout = runLayout(columns, rows, view.detail, matrixView.variants.length + 1);
  const detailWidth = Math.max(10, layout.detail.width - 4);
  const detail = view.detail && selected ? detailLines(selected.row, detailWidth) : null;

  useRunKeys(view, store, { rows: rowLines.map((r) => r.row), detailPage: layout.detail.height - 2, finished: final }, { onQuit, onForceQuit, onClose }, keys);

  const state = final ? (store.stopping ? 'stopped' : 'done') : store.stopping ? `stopping: ${store.running} running` : `${store.running} running`;
  const header = headerText(info, store.total, formatElapsed(store.elapsedMs()), columns - state.length - 1);
  const start = windowStart(startRef.current, listAnchor(rowLines, selected?.index ?? -1), layout.listHeight, lines.length);
  startRef.current = start;
  const filterText = view.editing ?? view.query;

  const list = layout.listHeight > 0 ? (
    lines.length > 0 ? (
      <ScenarioList lines={lines} start={start} height={layout.listHeight} width={layout.leftWidth} selectedId={view.selectedId} tick={tick} />
    ) : (
      <Box width={layout.leftWidth}>
        <Text dimColor>{view.failuresOnly || filterText ? 'nothing matches the filter' : 'waiting for the first scenario'}</Text>
      </Box>
    )
  ) : null;
  const detailPane =
    layout.detail.place === 'none' ? null : detail ? (
      <FailureDetail lines={detail} scroll={view.detailScroll} width={layout.detail.width} height={layout.detail.height} />
    ) : (
      <Text dimColor>select a scenario with ↑/↓</Text>
    );
  const matrix = layout.matrix.place === 'none' ? null : <Matrix view={matrixView} labelWidth={layout.labelWidth} tick={tick} height={layout.matrix.height} />;

  return (
    <Box flexDirection="column" width={columns}>
      <Text bold wrap="truncate">
        {fit(header, Math.max(10, columns - state.length - 1))} <Text color={final ? (store.stopping ? 'yellow' : 'green') : store.stopping ? 'yellow' : 'blue'}>{state}</Text>
      </Text>
      <ProgressBar counts={store.counts} finished={store.finished} total={store.total} width={columns} />
      <Box flexDirection={layout.twoColumns ? 'row' : 'column'} height={layout.bodyHeight}>
        {list}
        {layout.detail.place === 'full' ? detailPane : null}
        {layout.twoColumns && (layout.detail.place === 'right' || layout.matrix.place === 'right') ? (
          <Box marginLeft={1} width={layout.rightWidth} flexDirection="column">
            {layout.detail.place === 'right' ? detailPane : matrix}
          </Box>
        ) : null}
        {layout.matrix.place === 'below' ? matrix : null}
      </Box>
      <Text dimColor wrap="truncate">
        {view.failuresOnly ? <Text color="yellow">[failures only] </Text> : null}
        {filterText && view.editing === null ? <Text color="yellow">{`[/${filterText}] `}</Text> : null}
        {view.help({ finished: final, stopping: store.stopping, running: store.running })}
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
