import { Box, Text } from 'ink';
import type { FeedItem } from './watch-store.js';
import { cell, fitParts, variantLabel } from './theme.js';

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
export function EventFeed({ items, width, selected: selected_ }: EventFeedProps) {
  const idWidth = width >= 110 ? 36 : 13;
  const variantWidth = width >= 96 ? 25 : width >= 60 ? 15 : 0;
  return (
    <Box flexDirection="column">
      {items.map((item, i) => {
        const selected = i === selected_;
        // Ids are GUIDs: cut without an ellipsis, so the line stays ASCII (cheap to measure).
        const id = item.id.slice(0, idWidth).padEnd(idWidth);
        const fixed = 2 + 9 + idWidth + 1 + (variantWidth ? variantWidth + 1 : 0);
        const [text, cut] = fitParts(item.text, Math.max(8, width - fixed));
        return (
          <Box key={item.seq} height={1} width={width}>
            <Text inverse={selected}>{selected ? '▸ ' : '  '}</Text>
            <Text inverse={selected} dimColor={!selected}>{`${clock(item.at)} `}</Text>
            <Text inverse={selected}>{`${id} `}</Text>
            {variantWidth ? <Text inverse={selected} color="cyan">{`${cell(variantLabel(item.variant ?? '-', variantWidth), variantWidth)} `}</Text> : null}
            <Text inverse={selected} {...(TONE_COLOR[item.tone] ? { color: TONE_COLOR[item.tone] } : {})}>
              {text}
            </Text>
            {cut ? <Text inverse={selected}>…</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}
