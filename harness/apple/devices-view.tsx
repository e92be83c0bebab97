import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { FleetFigures } from './device-fleet.js';

export interface DevicesViewProps {
  url: string;
  figures: () => FleetFigures;
  onQuit: () => void;
}

const ANSWERS = ['Acknowledged', 'Error', 'NotNow'] as const;

/** The live view of `lockstep devices`: enrollment progress, request rate, commands by type and answer. q quits. */
export function DevicesView({ url, figures, onQuit }: DevicesViewProps) {
  const [f, setFigures] = useState(figures);
  const { exit } = useApp();
  useEffect(() => {
    const timer = setInterval(() => setFigures(figures()), 250);
    return () => clearInterval(timer);
  }, [figures]);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      onQuit();
      exit();
    }
  });
  const width = 40;
  const done = f.enrolled + f.failed;
  const filled = f.planned ? Math.round((done / f.planned) * width) : 0;
  return (
    <Box flexDirection="column">
      <Text bold>lockstep devices → {url}</Text>
      <Text>
        <Text color="green">{'█'.repeat(Math.round((f.enrolled / Math.max(1, f.planned)) * width))}</Text>
        <Text color="red">{'█'.repeat(Math.max(0, filled - Math.round((f.enrolled / Math.max(1, f.planned)) * width)))}</Text>
        <Text dimColor>{'░'.repeat(Math.max(0, width - filled))}</Text> {f.enrolled}/{f.planned} enrolled{f.failed ? `, ${f.failed} failed` : ''}
      </Text>
      <Text>
        {f.polls} polls · {Math.round(f.perSecond)} check-ins and results/s · {f.checkIns} requests
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text underline>{'command'.padEnd(24)}{ANSWERS.map((a) => a.padStart(14)).join('')}</Text>
        {Object.entries(f.commands).length === 0 ? <Text dimColor>no commands yet: enqueue some on the server</Text> : null}
        {Object.entries(f.commands).map(([type, byAnswer]) => (
          <Text key={type}>
            {type.slice(0, 23).padEnd(24)}
            {ANSWERS.map((a) => String(byAnswer[a] ?? 0).padStart(14)).join('')}
          </Text>
        ))}
      </Box>
      {f.firstFailure ? <Text color="red">first failure: {f.firstFailure}</Text> : null}
      <Text dimColor>q quits</Text>
    </Box>
  );
}
