/**
 * What a simulated Apple device is, to its protocol agent: the model a command is applied to.
 * By default the agent keeps one of its own; the reference's fleet devices hand it theirs.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { CommandAnswer, DeviceMachineEvent } from '../device-events.js';
import type { DeviceProfile } from '../device-profile.js';
import { answerOf, enrolledSnapshot, groundTruth, stepDevice, type GroundTruth } from '../device-runtime.js';
import type { AppleVariant } from './agent.js';

/** What the device is: the model a command is applied to. By default the agent keeps its own. */
export interface AgentModel {
  apply(event: DeviceMachineEvent): CommandAnswer;
  truth(): GroundTruth;
}

/** A device model of the agent's own, stepped with the same machine as the reference's devices. */
export class OwnModel implements AgentModel {
  private snapshot: AnyMachineSnapshot;
  constructor(private readonly variant: AppleVariant, profile: DeviceProfile) {
    this.snapshot = enrolledSnapshot(profile.facts);
  }
  apply(event: DeviceMachineEvent): CommandAnswer {
    const { snapshot, emitted } = stepDevice(this.variant, this.snapshot, event);
    this.snapshot = snapshot;
    return answerOf(emitted);
  }
  truth(): GroundTruth {
    return groundTruth(this.variant, this.snapshot, true);
  }
}
