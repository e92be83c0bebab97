/**
 * Truth prediction: what each ground-truth field may read after a step, and which requirement
 * says so. Where the catalogue leaves a field open the prediction allows any value (ANY).
 */
import type { Truth } from '../../contract/wire.js';
import { expectIn, type Check } from './checks.js';

export type FieldKey =
  | 'online'
  | 'enrolled'
  | 'lockScreen'
  | 'devicePasscode'
  | 'passcodePrompt'
  | 'workProfile.challenge'
  | 'workProfile.locked'
  | 'workProfile.resetToken'
  | 'workProfile.activationNotification';

const FIELDS: readonly FieldKey[] = [
  'online',
  'enrolled',
  'lockScreen',
  'devicePasscode',
  'passcodePrompt',
  'workProfile.challenge',
  'workProfile.locked',
  'workProfile.resetToken',
  'workProfile.activationNotification',
];

export type Val = string | boolean | undefined;
export const ANY = 'any' as const;
export type Values = readonly Val[] | typeof ANY;

export function readField(truth: Truth, key: FieldKey): Val {
  switch (key) {
    case 'online':
      return truth.online;
    case 'enrolled':
      return truth.enrolled;
    case 'lockScreen':
      return truth.lockScreen;
    case 'devicePasscode':
      return truth.devicePasscode;
    case 'passcodePrompt':
      return truth.passcodePrompt;
    case 'workProfile.challenge':
      return truth.workProfile?.challenge;
    case 'workProfile.locked':
      return truth.workProfile?.locked;
    case 'workProfile.resetToken':
      return truth.workProfile?.resetToken;
    case 'workProfile.activationNotification':
      return truth.workProfile?.activationNotification;
  }
}

interface FieldPrediction {
  values: Values;
  requirement: string;
  changed: boolean;
}

/**
 * Fields one row alone speaks for: a change no step explains breaks that row (the prompt
 * IR-2, the activation notification AN-1/AN-2, the reset token AN-4), whatever the step.
 */
function FIELD_OWNER(truth: Truth, key: FieldKey): string | null {
  if (key === 'passcodePrompt') return 'IR-2';
  if (key === 'workProfile.activationNotification' && truth.variant === 'ae-work-profile-personal') return truth.workProfile?.resetToken === 'active' ? 'AN-2' : 'AN-1';
  if (key === 'workProfile.resetToken' && truth.variant === 'ae-work-profile-personal') return 'AN-4';
  return null;
}

/** What each ground-truth field may read after a step, and which requirement says so. */
export class Prediction {
  private constructor(private readonly fields: Map<FieldKey, FieldPrediction>) {}

  /** Every field as it is now (the frame rule), under `requirement`. */
  static of(truth: Truth, requirement: string): Prediction {
    return new Prediction(new Map(FIELDS.map((k) => [k, { values: [readField(truth, k)], requirement: FIELD_OWNER(truth, k) ?? requirement, changed: false }])));
  }

  static free(requirement: string): Prediction {
    return new Prediction(new Map(FIELDS.map((k) => [k, { values: ANY, requirement, changed: false }])));
  }

  clone(): Prediction {
    return new Prediction(new Map([...this.fields].map(([k, f]) => [k, { ...f }])));
  }

  set(key: FieldKey, values: Values, requirement: string): this {
    this.fields.set(key, { values, requirement, changed: true });
    return this;
  }

  /** Keeps the values, names another requirement for them. */
  tag(key: FieldKey, requirement: string): this {
    const f = this.fields.get(key)!;
    this.fields.set(key, { ...f, requirement });
    return this;
  }

  values(key: FieldKey): Values {
    return this.fields.get(key)!.values;
  }

  may(key: FieldKey, value: Val): boolean {
    const v = this.values(key);
    return v === ANY || v.includes(value);
  }

  must(key: FieldKey, value: Val): boolean {
    const v = this.values(key);
    return v !== ANY && v.length === 1 && v[0] === value;
  }

  /** Either prediction may come true (a branch the model cannot decide before observing). */
  union(other: Prediction): Prediction {
    const out = new Map<FieldKey, FieldPrediction>();
    for (const k of FIELDS) {
      const a = this.fields.get(k)!;
      const b = other.fields.get(k)!;
      const values: Values = a.values === ANY || b.values === ANY ? ANY : [...new Set([...a.values, ...b.values])];
      out.set(k, { values, requirement: a.changed || !b.changed ? a.requirement : b.requirement, changed: a.changed || b.changed });
    }
    return new Prediction(out);
  }

  check(truth: Truth, describe: (key: FieldKey) => string): Check[] {
    const checks: Check[] = [];
    for (const k of FIELDS) {
      const f = this.fields.get(k)!;
      if (f.values === ANY) continue;
      checks.push(expectIn(f.requirement, describe(k), readField(truth, k), f.values));
    }
    return checks;
  }
}
