/**
 * A device's machine state as plain JSON and back: what a shard would hand over when devices
 * move between shards, or persist to start again where it left off. XState's persisted
 * snapshot (value and context) is enough: the device machines have no children, history or
 * delayed events.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { deviceMachine } from '../../device-machine.js';
import type { VariantKey } from '../../../contract/variants.js';

export interface PersistedDevice {
  variant: VariantKey;
  /** The machine's state value and context, JSON-safe. */
  value: unknown;
  context: unknown;
  status: string;
}

export function persistDevice(variant: VariantKey, snapshot: AnyMachineSnapshot): PersistedDevice {
  const persisted = deviceMachine(variant).getPersistedSnapshot(snapshot) as unknown as { value: unknown; context: unknown; status: string };
  return JSON.parse(JSON.stringify({ variant, value: persisted.value, context: persisted.context, status: persisted.status })) as PersistedDevice;
}

/** The snapshot `persistDevice` describes, ready for stepDevice. */
export function restoreDevice(persisted: PersistedDevice): AnyMachineSnapshot {
  const machine = deviceMachine(persisted.variant);
  return machine.resolveState({ value: persisted.value, context: persisted.context } as never) as AnyMachineSnapshot;
}
