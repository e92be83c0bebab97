import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/dsl.js';
import { AgentError } from '../simulator/apple/agent.js';
import { LockstepClient } from './client.js';
import { runSuite } from './runner.js';

const apple = (id: string, run: () => Promise<void>) =>
  scenario({ id: `test/${id}`, title: id, area: 'apple-mdm', requirements: ['AP-5'], tags: [], run: async () => run() });
const options = { client: new LockstepClient({ baseUrl: 'http://127.0.0.1:9' }), target: { kind: 'embedded' as const }, seed: 1, version: 'test' };

describe('an Apple MDM server that answers the devices badly', () => {
  it('an HTTP error to a device message is a failed check on the scenario row (with the status), not a crash', async () => {
    const run = await runSuite({ ...options, scenarios: [apple('five-hundred', () => Promise.reject(new AgentError('Idle to http://127.0.0.1:1/mdm: HTTP 500', 500)))] });
    const [result] = run.scenarios;
    expect(result).toMatchObject({ outcome: 'fail', findings: [{ requirement: 'AP-5', level: 'MUST', expected: 'HTTP 200', observed: expect.stringContaining('HTTP 500') }] });
    expect(result!.message).toBeUndefined();
    expect(run.incomplete).toBeUndefined();
  });

  it('a server that stops answering ends the run early as inconclusive (errors, not failed rows)', async () => {
    const gone = () => Promise.reject(new AgentError('cannot reach http://127.0.0.1:1/mdm: ECONNREFUSED', undefined, true));
    const scenarios = ['a', 'b', 'c', 'd', 'e'].map((id) => apple(id, gone));
    const run = await runSuite({ ...options, scenarios, concurrency: 1 });
    expect(run.scenarios.map((s) => s.outcome)).toEqual(['error', 'error', 'error']);
    expect(run.scenarios[0]!.message).toBe('cannot reach http://127.0.0.1:1/mdm: ECONNREFUSED');
    expect(run.incomplete).toMatchObject({ reason: 'target-unresponsive', planned: 5 });
  });
});
