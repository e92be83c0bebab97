import { Box, Text } from 'ink';
import type { FeedItem } from './watch-store.js';
import { cell, fit, variantLabel } from './theme.js';

const TONE_COLOR: Record<string, string> = {
  locked: 'yellow',
  unlocked: 'green',
  screenOff: 'gray',
  wiped: 'red',
  pending: 'blue',
  done: 'green',
  failed: 'red',
  canceled: 'gray',
  notSupported: 'magenta',
};

export interface EventFeedProps {
  items: readonly FeedItem[];
  width: number;
  /** Highlighted row when selecting (index into items), or -1. */
  selected: number;
}

/** Simulated time of day (hh:mm:ss) of an ISO instant. */
function clock(iso: string): string {
  return iso.length >= 19 ? iso.slice(11, 19) : iso;
}

/** Recent change events, newest first: time, device id, variant, what changed. */
export function EventFeed({ items, width, selected }: EventFeedProps) {
  const idWidth = width >= 110 ? 36 : 13;
  const variantWidth = width >= 96 ? 25 : width >= 60 ? 15 : 0;
  return (
    <Box flexDirection="column">
      {items.map((item, i) => {
        const id = item.id.length > idWidth ? `${item.id.slice(0, idWidth - 1)}…` : item.id;
        const fixed = 2 + 9 + idWidth + 1 + (variantWidth ? variantWidth + 1 : 0);
        return (
          <Text key={item.seq} wrap="truncate" inverse={i === selected}>
            {i === selected ? '▸ ' : '  '}
            <Text dimColor>{clock(item.at)} </Text>
            {cell(id, idWidth)}{' '}
            {variantWidth ? <Text color="cyan">{cell(variantLabel(item.variant ?? '—', variantWidth), variantWidth)} </Text> : null}
            <Text {...(TONE_COLOR[item.tone] ? { color: TONE_COLOR[item.tone] } : {})}>{fit(item.text, Math.max(8, width - fixed))}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
