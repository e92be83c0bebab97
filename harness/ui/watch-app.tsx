import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { DevicePanel, type DetailState } from './device-panel.js';
import { EventFeed } from './event-feed.js';
import type { FleetSource } from './fleet-source.js';
import { FleetTable } from './fleet-table.js';
import { sparkline } from './sparkline.js';
import { fit } from './theme.js';
import { FRAME_MS, useFrame, useTerminalSize, type TerminalSize } from './use-frame.js';
import type { FeedItem, WatchStore } from './watch-store.js';

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
  const [variantIndex, setVariantIndex] = useState(() => (initialVariant ? variants.indexOf(initialVariant) : -1));
  const [frozen, setFrozen] = useState<FeedItem[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [detail, setDetail] = useState<DetailState | null>(null);
  const detailId = useRef<string | null>(null);
  const variant = variantIndex >= 0 ? (variants[variantIndex] ?? null) : null;

  // Layout: a title line, a key-help line, and one spare line so Ink never clears the screen.
  const avail = Math.max(4, rows - 3);
  const wide = columns >= 130;
  const tableWidth = wide ? Math.min(82, columns - 48) : columns;
  const sideWidth = wide ? columns - tableWidth - 2 : columns;
  const nVariants = store.stats ? (variant ? 1 : Object.keys(store.stats.byVariant).length) : 0;
  const extras = avail >= 12 ? 3 : 1; // actions, sparkline, feed heading (or just the heading when cramped)
  let feedRows: number;
  let maxTableRows: number;
  if (wide) {
    maxTableRows = Math.max(1, avail - 3);
    feedRows = Math.max(1, avail - 2);
  } else {
    const minFeed = Math.min(3, avail - extras - 3);
    maxTableRows = Math.max(1, Math.min(nVariants, avail - extras - 2 - minFeed));
    const tableLines = 2 + Math.min(nVariants, maxTableRows) + (nVariants === 0 ? 1 : 0);
    feedRows = Math.max(1, Math.min(10, avail - extras - tableLines));
  }
  if (wide) feedRows = Math.min(feedRows, 20);

  const live = store.recent(feedRows, variant);
  const items = frozen ?? live;
  const open = (item: FeedItem | undefined) => {
    if (!item) return;
    detailId.current = item.id;
    setDetail({ id: item.id, state: 'loading' });
    load(item.id);
  };
  const load = (id: string) => {
    source.device(id).then(
      (d) => {
        if (detailId.current === id) setDetail({ id, state: 'ok', detail: d });
      },
      (error: unknown) => {
        if (detailId.current === id) setDetail({ id, state: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
  };
  useEffect(() => {
    if (!detail || detailRefreshMs <= 0) return;
    const timer = setInterval(() => {
      if (detailId.current) load(detailId.current);
    }, detailRefreshMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detail?.id, detailRefreshMs]);

  // Ink may call a handler from an earlier render: read the current view through a ref.
  const view = useRef({ frozen, live, selected, detail });
  view.current = { frozen, live, selected, detail };
  useInput(
    (input, key) => {
      const { frozen, live, selected, detail } = view.current;
      if (input === 'q' || (key.ctrl && input === 'c')) {
        onQuit();
        return;
      }
      if (input === 'v' || input === 'V') {
        const step = input === 'v' ? 1 : -1;
        setVariantIndex((i) => {
          const n = variants.length + 1;
          return ((((i + 1 + step) % n) + n) % n) - 1;
        });
        view.current = { ...view.current, frozen: null, selected: 0 };
        setFrozen(null);
        setSelected(0);
        return;
      }
      if (key.escape) {
        if (detail) {
          detailId.current = null;
          view.current = { ...view.current, detail: null };
          setDetail(null);
        } else {
          view.current = { ...view.current, frozen: null };
          setFrozen(null);
        }
        return;
      }
      if (key.upArrow || key.downArrow) {
        if (detail) return;
        if (!frozen) {
          // Start selecting: the feed holds still until esc.
          view.current = { ...view.current, frozen: live, selected: 0 };
          setFrozen(live);
          setSelected(0);
          return;
        }
        const next = Math.max(0, Math.min(frozen.length - 1, selected + (key.downArrow ? 1 : -1)));
        view.current = { ...view.current, selected: next };
        setSelected(next);
        return;
      }
      if (key.return) {
        if (detail) {
          detailId.current = null;
          view.current = { ...view.current, detail: null };
          setDetail(null);
          return;
        }
        const list = frozen ?? live;
        const item = list[frozen ? selected : 0];
        if (!frozen) {
          view.current = { ...view.current, frozen: list, selected: 0 };
          setFrozen(list);
          setSelected(0);
        }
        if (item) view.current = { ...view.current, detail: { id: item.id, state: 'loading' } };
        open(item);
        return;
      }
      if (input === 'r' && detailId.current) load(detailId.current);
    },
    { isActive: keys },
  );

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

  const help = detail
    ? 'enter/esc back · r refresh · q quit'
    : `↑/↓ select · enter details · v variant (${variant ?? 'all'}) · q quit`;

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
        {extras === 3 ? actions : null}
        {extras === 3 ? spark : null}
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
