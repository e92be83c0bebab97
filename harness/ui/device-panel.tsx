import { Box, Text } from 'ink';
import type { DeviceDetail } from './fleet-source.js';

/** How a passcode or PIN is shown: never its value. */
export const SECRET_MASK = '••••••';

export type DetailState = { id: string; state: 'loading' } | { id: string; state: 'ok'; detail: DeviceDetail } | { id: string; state: 'error'; message: string };

function time(iso: string | null): string {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '—';
}

const onOff = (b: boolean, yes: string, no: string) => (b ? yes : no);

/** A device's ground truth, its deviceActionResults (secrets masked) and its Device actions list entries. */
export function DevicePanel({ detail, width, height }: { detail: DetailState; width: number; height: number }) {
  if (detail.state === 'loading') return <Text dimColor>{`loading ${detail.id}…`}</Text>;
  if (detail.state === 'error') return <Text color="red">{`${detail.id}: ${detail.message}`}</Text>;
  const d = detail.detail;
  const t = d.truth;
  const wp = t.workProfile;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {d.deviceName ?? d.id} <Text dimColor>{`${d.operatingSystem ?? ''} ${d.osVersion ?? ''} · ${t.variant}`}</Text>
      </Text>
      <Text dimColor wrap="truncate">
        {d.id}
      </Text>
      <Text wrap="truncate">
        <Text bold>truth </Text>
        {t.enrolled ? (
          <>
            <Text color={t.online ? 'green' : 'gray'}>{onOff(t.online, 'online', 'offline')}</Text>
            {` · ${t.lockScreen} · passcode ${t.devicePasscode}`}
            {t.passcodePrompt ? ' · asks for a new passcode' : ''}
            {` · ${t.pendingCommands} pending`}
          </>
        ) : (
          <Text color="red">wiped (not enrolled)</Text>
        )}
      </Text>
      {wp ? (
        <Text wrap="truncate">
          {`      work profile: challenge ${wp.challenge} · ${onOff(wp.locked, 'locked', 'unlocked')} · reset token ${wp.resetToken}`}
          {wp.activationNotification ? ' · activation notice shown' : ''}
        </Text>
      ) : null}
      <Text bold>actions</Text>
      {d.actions.length === 0 ? <Text dimColor>  none</Text> : null}
      {d.actions.map((a) => (
        <Text key={a.actionName} wrap="truncate">
          {'  '}
          {a.actionName.padEnd(14)}
          <Text color={a.actionState === 'done' ? 'green' : a.actionState === 'failed' ? 'red' : a.actionState === 'pending' ? 'blue' : 'gray'}>{a.actionState.padEnd(13)}</Text>
          {time(a.lastUpdatedDateTime)}
          {a.actionName === 'resetPasscode' || a.actionName === 'remoteLock' ? `  ${a.actionName === 'remoteLock' ? 'PIN' : 'passcode'} ${a.secretIssued ? SECRET_MASK : '—'}` : ''}
          {a.errorCode ? <Text color="red">{`  error ${a.errorCode}`}</Text> : null}
        </Text>
      ))}
      <Text bold>device actions list (newest first)</Text>
      {d.audits.length === 0 ? <Text dimColor>  none</Text> : null}
      {d.audits.map((a, i) => (
        <Text key={i} wrap="truncate">
          {`  ${time(a.requestDateTime)}  ${a.action.padEnd(14)}${a.actionState.padEnd(13)}`}
          <Text dimColor>{`by ${a.initiatedBy}`}</Text>
        </Text>
      ))}
    </Box>
  );
}
