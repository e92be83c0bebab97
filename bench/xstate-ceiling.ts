/**
 * The XState ceiling: events per second into one started actor of the ae-fully-managed
 * device machine (the same machine the fleet's fully managed devices run), sending what a
 * passcode reset sends: CHECK_IN, RESET_PASSCODE, ENTER_PASSCODE with the new passcode.
 */
import { createActor, type AnyEventObject } from 'xstate';
import { defaultFacts } from '../simulator/device-facts.js';
import { contextFromFacts, deviceMachine } from '../simulator/device-machine.js';

const MIX: readonly AnyEventObject[] = [
  { type: 'CHECK_IN' },
  { type: 'RESET_PASSCODE', passcode: '40417265' },
  { type: 'ENTER_PASSCODE', passcode: '40417265' },
];

/** Events per second sent to a bare actor for about `durationMs`. */
export function xstateCeiling(durationMs: number): number {
  const actor = createActor(deviceMachine('ae-fully-managed'), { input: contextFromFacts(defaultFacts('ae-fully-managed')) }).start();
  actor.send({ type: 'ENROLLMENT_COMPLETE' });
  for (let i = 0; i < 3000; i++) actor.send(MIX[i % 3]!);
  let sent = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 300; i++) actor.send(MIX[i % 3]!);
    sent += 300;
    elapsed = performance.now() - started;
  } while (elapsed < durationMs);
  const value = actor.getSnapshot().value as { enrolled?: { lockScreen?: string } };
  if (value.enrolled?.lockScreen !== 'unlocked') throw new Error('the ceiling actor did not unlock with its temporary passcode');
  actor.stop();
  return (sent / elapsed) * 1000;
}
