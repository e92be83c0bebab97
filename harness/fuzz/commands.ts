/**
 * fast-check commands for `lockstep fuzz`: each command is one Step (steps.ts), run against
 * the target and judged by the oracle model; a mismatch throws ConformanceMismatch, which
 * fast-check then shrinks to a short sequence.
 */
import fc from 'fast-check';
import type { ActionName } from '../../contract/actions.js';
import type { EnrollSpec } from '../../contract/wire.js';
import type { VariantKey } from '../../contract/variants.js';
import { ACTIONS } from '../../contract/actions.js';
import { VARIANT_KEYS } from '../../contract/variants.js';
import { GRAPH_ROLES, type Actor, type Scope } from './catalogue.js';
import { ConformanceMismatch, type FleetModel } from './model.js';
import { canRun, describeStep, DURATIONS, resolveStep, runStep, USER_PASSCODES, type Duration, type FuzzIO, type Step } from './steps.js';

/** The system under test as a run sees it, and the steps it has run so far (the reproducer). */
export interface FuzzReal {
  io: FuzzIO;
  executed: Step[];
}

export class StepCommand implements fc.AsyncCommand<FleetModel, FuzzReal> {
  constructor(readonly step: Step) {}

  check(model: Readonly<FleetModel>): boolean {
    return canRun(model as FleetModel, resolveStep(model as FleetModel, this.step));
  }

  async run(model: FleetModel, real: FuzzReal): Promise<void> {
    const step = resolveStep(model, this.step);
    real.executed.push(step);
    const checks = await runStep(model, real.io, step);
    const failed = checks.find((c) => !c.ok);
    if (failed) throw new ConformanceMismatch(failed, describeStep(step));
  }

  toString(): string {
    return describeStep(this.step);
  }
}

/** OS versions the catalogue allows per variant, where the OS decides something (DL-1/DL-6, WP-1/WP-3). */
const OS_VERSIONS: Partial<Record<VariantKey, readonly string[]>> = {
  'android-da-legacy': ['6.0', '5.1', '4.4', '6.0.1'],
  'android-da-modern': ['14', '7.0', '10', '7.1.2', '8.1.0'],
  'ae-work-profile-personal': ['13', '8.0', '7.1', '5.1', '7.1.2', '8.0.0', '9'],
  'ae-work-profile-corporate': ['14', '8.0', '8.0.0', '10'],
  'ae-fully-managed': ['14', '8.0', '8.1.0', '9'],
  'ae-dedicated': ['14', '8.0', '8.0.0'],
};

const mostly = <T>(usual: T, rare: T): fc.Arbitrary<T> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constant(rare) });

/** A device of the variant with random facts (only the facts the catalogue says matter for it). */
export function enrollSpec(variant: VariantKey): fc.Arbitrary<EnrollSpec> {
  const os = OS_VERSIONS[variant];
  const aosp = variant === 'aosp-user-associated' || variant === 'aosp-userless';
  return fc
    .record({
      osVersion: os ? fc.constantFrom(...os) : fc.constant(undefined),
      online: mostly(true, false),
      devicePasscodeSet: mostly(true, false),
      passcodePolicy: aosp || variant === 'ae-dedicated' ? fc.boolean() : fc.constant(undefined),
      workProfilePasswordSet: variant.startsWith('ae-work-profile') ? mostly(true, false) : fc.constant(undefined),
      unlockToken: variant === 'ios-device' ? fc.constantFrom('good' as const, 'bad' as const, 'missing' as const) : fc.constant(undefined),
      passcodeCompliancePolicy: variant === 'ios-device' ? fc.boolean() : fc.constant(undefined),
      supervised: variant === 'ios-device' ? fc.boolean() : fc.constant(undefined),
    })
    .map((facts) => {
      const spec: EnrollSpec = { variant };
      for (const [key, value] of Object.entries(facts)) if (value !== undefined) (spec as unknown as Record<string, unknown>)[key] = value;
      return spec;
    });
}

const ACTORS: readonly Actor[] = [...GRAPH_ROLES, null];

export interface CommandOptions {
  /** Device indices commands pick from (the model enrolls at most this many). */
  maxDevices?: number;
}

/** The command arbitraries of a fuzz run, weighted so that runs enroll early and act often. */
export function commandArbitrary(options: CommandOptions = {}): fc.Arbitrary<StepCommand> {
  const device = fc.nat({ max: Math.max(0, (options.maxDevices ?? 4) - 1) });
  const scope = fc.constantFrom<Scope>('device', 'workProfile');
  const step = (arb: fc.Arbitrary<Step>) => arb.map((s) => new StepCommand(s));
  const deviceEvent = (type: 'reboot' | 'goOffline' | 'goOnline' | 'checkIn') =>
    step(device.map((d): Step => ({ op: 'event', device: d, event: { type } })));
  return fc.oneof(
    { weight: 6, arbitrary: step(fc.oneof(...VARIANT_KEYS.map(enrollSpec)).map((spec): Step => ({ op: 'enroll', spec }))) },
    {
      weight: 6,
      arbitrary: step(
        fc.record({ device, action: fc.constantFrom<ActionName>(...ACTIONS), role: fc.constantFrom<Actor>(...ACTORS) }).map(
          ({ device: d, action, role }): Step => ({ op: 'act', device: d, action, role }),
        ),
      ),
    },
    { weight: 3, arbitrary: deviceEvent('checkIn') },
    {
      weight: 4,
      arbitrary: step(
        fc.record({ device, scope, passcode: fc.constantFrom('learned' as const, 'own' as const, 'wrong' as const) }).map(
          ({ device: d, scope: s, passcode }): Step => ({ op: 'event', device: d, event: { type: 'enterPasscode', scope: s, passcode } }),
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: step(
        fc.record({ device, scope, passcode: fc.constantFrom(...USER_PASSCODES) }).map(
          ({ device: d, scope: s, passcode }): Step => ({ op: 'event', device: d, event: { type: 'setPasscode', scope: s, passcode } }),
        ),
      ),
    },
    { weight: 1, arbitrary: deviceEvent('reboot') },
    { weight: 1, arbitrary: deviceEvent('goOffline') },
    { weight: 1, arbitrary: deviceEvent('goOnline') },
    {
      weight: 3,
      arbitrary: step(fc.constantFrom<Duration>(...(Object.keys(DURATIONS) as Duration[])).map((duration): Step => ({ op: 'advance', duration }))),
    },
    { weight: 1, arbitrary: step(device.map((d): Step => ({ op: 'audits', device: d }))) },
    {
      weight: 1,
      arbitrary: step(
        fc.record({ list: fc.constantFrom('remoteActionAudits' as const, 'managedDevices' as const), role: fc.constantFrom<Actor>(...ACTORS), top: fc.constantFrom(1, 2, 5) }).map(
          ({ list, role, top }): Step => ({ op: 'list', list, role, top }),
        ),
      ),
    },
  );
}
