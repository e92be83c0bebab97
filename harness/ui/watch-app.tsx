import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { DevicePanel } from './device-panel.js';
import { useDeviceDetail } from './use-device-detail.js';
import { WatchViewState, watchLayout } from './watch-view.js';
import { EventFeed } from './event-feed.js';
import type { FleetSource } from './fleet-source.js';
import { FleetTable } from './fleet-table.js';
import { sparkline } from './sparkline.js';
import { fit } from './theme.js';
import { FRAME_MS, useFrame, useTerminalSize, type TerminalSize } from './use-frame.js';
import type { WatchStore } from './watch-store.js';

export interface WatchAppProps {
  store: WatchStore;
  source: Pick<FleetSource, 'label' | 'device'>;
  /** Variants `v` cycles through (after "all"). */
  variants: readonly string[];
  initialVariant?: string | null;
  onQuit: () => void;
  size?: Partial<TerminalSize>;
  frameMs?: number;
  /** Listen for keys (false when stdin is not a terminal). */
  keys?: boolean;
  /** How often an open device panel refreshes (1 s). */
  detailRefreshMs?: number;
}

const ACTION_STATES = [
  ['pending', 'blue'],
  ['active', 'cyan'],
  ['done', 'green'],
  ['failed', 'red'],
  ['canceled', 'gray'],
  ['notSupported', 'magenta'],
] as const;

function Connection({ store }: { store: WatchStore }) {
  const c = store.connection;
  if (c.state === 'connected') return <Text color="green">● connected</Text>;
  if (c.state === 'connecting') return <Text color="yellow">○ connecting…</Text>;
  const seconds = Math.max(0, Math.ceil((c.retryAt - Date.now()) / 1000));
  return (
    <Text color="red">
      {`disconnected — retrying in ${seconds}s`}
      <Text dimColor>{` (${c.reason})`}</Text>
    </Text>
  );
}

export function WatchApp({ store, source, variants, initialVariant = null, onQuit, size, frameMs = FRAME_MS, keys = true, detailRefreshMs = 1000 }: WatchAppProps) {
  useFrame(store, frameMs, true);
  const { columns, rows } = useTerminalSize(size);
  const viewRef = useRef<WatchViewState | null>(null);
  const view = (viewRef.current ??= new WatchViewState(variants, initialVariant));
  const [, setVersion] = useState(0);
  const [detail, reload] = useDeviceDetail(source, view.detailId, detailRefreshMs);
  const variant = view.variant;
  const nVariants = store.stats ? (variant ? 1 : Object.keys(store.stats.byVariant).length) : 0;
  const { avail, wide, tableWidth, sideWidth, feedRows, maxTableRows, extras } = watchLayout(columns, rows, nVariants);

  const live = store.recent(feedRows, variant);
  const items = view.frozen ?? live;
  // Ink may call a handler from an earlier render: read the current feed through a ref.
  const liveRef = useRef(live);
  liveRef.current = live;
  useInput(
    (input, key) => {
      const command = view.handleKey(input, key, liveRef.current);
      if (command?.kind === 'quit') onQuit();
      else if (command?.kind === 'reload') reload();
      setVersion(view.version);
    },
    { isActive: keys },
  );
  const frozen = view.frozen;
  const selected = view.selected;

  const stats = store.stats;
  const statsAge = stats ? Math.round((Date.now() - store.statsAt) / 1000) : 0;
  const title = (
    <Text wrap="truncate">
      <Text bold>lockstep watch</Text>
      {` · ${source.label} · `}
      <Connection store={store} />
      {` · ${store.rate()} ev/s`}
      {store.simNow ? <Text dimColor>{` · sim ${store.simNow.slice(0, 19).replace('T', ' ')}`}</Text> : null}
      {store.statsError && statsAge >= 2 ? <Text color="yellow">{` · counts ${statsAge}s old`}</Text> : null}
    </Text>
  );

  const actions = (
    <Text wrap="truncate">
      <Text bold>actions</Text>
      {ACTION_STATES.map(([state, color]) => {
        const n = stats?.actions[state] ?? 0;
        return (
          <Text key={state} {...(n > 0 ? { color } : { dimColor: true })}>
            {`  ${state} ${n}`}
          </Text>
        );
      })}
    </Text>
  );

  // Completed seconds only: the current one is still filling up.
  const rates = store.rates().slice(0, -1);
  const peak = Math.max(...rates);
  const sparkLabel = `  ${store.rate()}/s now · peak ${peak}/s · 60 s`;
  const sparkWidth = Math.max(5, Math.min(60, sideWidth - 6 - sparkLabel.length));
  const spark = (
    <Text wrap="truncate">
      <Text bold>ev/s </Text>
      <Text color="cyan">{sparkline(rates, sparkWidth)}</Text>
      <Text dimColor>{sparkLabel}</Text>
    </Text>
  );

  const feedHeading = (
    <Text wrap="truncate" bold>
      {frozen ? (
        <Text color="yellow">paused · ↑/↓ pick a device · enter details · esc resume</Text>
      ) : (
        `recent events, newest first${variant ? ` (${variant})` : ''}`
      )}
      {store.dropped > 0 ? <Text color="yellow">{`  ${store.dropped} dropped by the server`}</Text> : null}
    </Text>
  );
  const feed = items.length > 0 ? <EventFeed items={items} width={sideWidth} selected={frozen ? selected : -1} /> : <Text dimColor>no events yet</Text>;

  const help = view.help();

  let body;
  if (detail) {
    body = <DevicePanel detail={detail} width={columns} height={avail} />;
  } else if (wide) {
    body = (
      <Box flexDirection="row" height={avail}>
        <Box flexDirection="column" width={tableWidth}>
          <FleetTable stats={stats} variant={variant} width={tableWidth} maxRows={maxTableRows} />
          {actions}
        </Box>
        <Box flexDirection="column" marginLeft={2} width={sideWidth}>
          {spark}
          {feedHeading}
          {feed}
        </Box>
      </Box>
    );
  } else {
    body = (
      <Box flexDirection="column" height={avail} overflow="hidden">
        <FleetTable stats={stats} variant={variant} width={columns} maxRows={maxTableRows} />
        {extras ? actions : null}
        {extras ? spark : null}
        {feedHeading}
        {feed}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={columns}>
      {title}
      {body}
      <Text dimColor wrap="truncate">
        {fit(help, columns)}
      </Text>
    </Box>
  );
}
