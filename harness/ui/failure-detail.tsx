import { Box, Text } from 'ink';
import type { ScenarioRow } from './run-store.js';
import { OUTCOME_COLOR, OUTCOME_SYMBOL } from './theme.js';

export interface FailureDetailProps {
  row: ScenarioRow;
  width: number;
  height: number;
}

/** A scenario's outcome and, for each finding, the requirement statement and expected vs observed. */
export function FailureDetail({ row, width, height }: FailureDetailProps) {
  const result = row.result;
  return (
    <Box width={width} height={height} overflow="hidden" flexDirection="column">
    <Box flexDirection="column" width={width} flexShrink={0} borderStyle="round" borderColor="gray" paddingX={1}>
      <Text bold>
        {result ? <Text color={OUTCOME_COLOR[result.outcome]}>{`${OUTCOME_SYMBOL[result.outcome]} ${result.outcome.toUpperCase()} `}</Text> : null}
        {row.id}
      </Text>
      <Text dimColor>{row.title}</Text>
      {!result ? <Text dimColor>{row.status === 'running' ? 'running…' : 'not run yet'}</Text> : null}
      {result?.expectation === 'expected-failure' ? <Text color="yellow">listed as an expected failure</Text> : null}
      {result?.expectation === 'unexpected-pass' ? <Text color="yellow">expected to fail, but passed</Text> : null}
      {result && result.findings.length === 0 && !result.message ? <Text color="green">every check passed</Text> : null}
      {result?.findings.map((f, i) => (
        <Box key={i} flexDirection="column" marginTop={1}>
          <Text>
            <Text bold color={f.level === 'MUST' ? 'red' : f.level === 'SHOULD' ? 'yellow' : 'cyan'}>{`${f.requirement} (${f.level})`}</Text> {f.statement}
          </Text>
          <Text dimColor>{f.check}</Text>
          <Text>
            {'  expected '}
            <Text color="green">{f.expected}</Text>
          </Text>
          <Text>
            {'  observed '}
            <Text color="red">{f.observed}</Text>
          </Text>
        </Box>
      ))}
      {result?.message ? (
        <Box marginTop={1}>
          <Text color={result.outcome === 'skip' ? 'gray' : 'magenta'}>{result.message}</Text>
        </Box>
      ) : null}
    </Box>
    </Box>
  );
}
