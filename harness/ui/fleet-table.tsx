import { Box, Text } from 'ink';
import { DEVICE_STATE_KEYS, type DeviceStateKey, type StatsView } from '../../simulator/mdm/fleet-stats.js';
import { cell, variantLabel } from './theme.js';

const HEADINGS: Record<DeviceStateKey, string> = {
  locked: 'locked',
  unlocked: 'unlock',
  screenOff: 'scrOff',
  temporaryPasscode: 'tmpPC',
  resetTokenPending: 'rstTok',
  offline: 'offln',
  wiped: 'wiped',
};
const STATE_COLOR: Partial<Record<DeviceStateKey, string>> = {
  locked: 'yellow',
  unlocked: 'green',
  temporaryPasscode: 'magenta',
  resetTokenPending: 'cyan',
  offline: 'gray',
  wiped: 'red',
};
export const COLUMN_WIDTH = 7;

/** State columns that fit `width` after a label of `labelWidth` and the total column, in a fixed order of importance. */
export function tableColumns(width: number, labelWidth: number): DeviceStateKey[] {
  const room = Math.floor((width - labelWidth - COLUMN_WIDTH) / COLUMN_WIDTH);
  const byImportance: DeviceStateKey[] = ['locked', 'unlocked', 'temporaryPasscode', 'offline', 'resetTokenPending', 'screenOff', 'wiped'];
  const kept = new Set(byImportance.slice(0, Math.max(0, room)));
  return DEVICE_STATE_KEYS.filter((k) => kept.has(k));
}

export interface FleetTableProps {
  stats: StatsView | null;
  /** Show only this variant's row (and the fleet total). */
  variant: string | null;
  width: number;
  /** Variant rows available; beyond it the smallest variants are folded into one line. */
  maxRows?: number;
}

function numbers(row: ({ total: number } & Record<DeviceStateKey, number>) | undefined, columns: DeviceStateKey[], bold = false) {
  return (
    <>
      <Text bold={bold}>{cell(String(row?.total ?? 0), COLUMN_WIDTH, 'right')}</Text>
      {columns.map((k) => {
        const n = row?.[k] ?? 0;
        const color = STATE_COLOR[k];
        return (
          <Text key={k} dimColor={n === 0} bold={bold} {...(n > 0 && color ? { color } : {})}>
            {cell(String(n), COLUMN_WIDTH, 'right')}
          </Text>
        );
      })}
    </>
  );
}

/** Devices by variant × state, from GET /sim/stats (a device can count in several states). */
export function FleetTable({ stats, variant, width, maxRows }: FleetTableProps) {
  const labelWidth = Math.max(10, Math.min(25, width - COLUMN_WIDTH * 8));
  const columns = tableColumns(width, labelWidth);
  if (!stats) return <Text dimColor>waiting for fleet counts…</Text>;
  let variants = Object.keys(stats.byVariant);
  if (variant) variants = variants.filter((v) => v === variant);
  let folded: string[] = [];
  if (maxRows !== undefined && variants.length > maxRows) {
    const keep = new Set([...variants].sort((a, b) => stats.byVariant[b]!.total - stats.byVariant[a]!.total).slice(0, Math.max(0, maxRows - 1)));
    folded = variants.filter((v) => !keep.has(v));
    variants = variants.filter((v) => keep.has(v));
  }
  const foldedRow = folded.length
    ? folded.reduce(
        (sum, v) => {
          const r = stats.byVariant[v]!;
          sum.total += r.total;
          for (const k of DEVICE_STATE_KEYS) sum[k] += r[k];
          return sum;
        },
        { total: 0, locked: 0, unlocked: 0, screenOff: 0, temporaryPasscode: 0, resetTokenPending: 0, offline: 0, wiped: 0 },
      )
    : undefined;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {cell('variant', labelWidth)}
        {cell('total', COLUMN_WIDTH, 'right')}
        {columns.map((k) => cell(HEADINGS[k], COLUMN_WIDTH, 'right')).join('')}
      </Text>
      {variants.length === 0 ? <Text dimColor>{variant ? `no ${variant} devices` : 'no devices enrolled'}</Text> : null}
      {variants.map((v) => (
        <Text key={v} wrap="truncate">
          {cell(variantLabel(v, labelWidth), labelWidth)}
          {numbers(stats.byVariant[v], columns)}
        </Text>
      ))}
      {foldedRow ? (
        <Text wrap="truncate" dimColor>
          {cell(`+${folded.length} smaller variants`, labelWidth)}
          {numbers(foldedRow, columns)}
        </Text>
      ) : null}
      <Text wrap="truncate">
        <Text bold>{cell('fleet', labelWidth)}</Text>
        {numbers({ total: stats.devices, ...stats.byState }, columns, true)}
      </Text>
    </Box>
  );
}
