import { VARIANT_INFO } from './variants.js';
import { type VariantKey } from '../contract/variants.js';

export type UnlockTokenQuality = 'good' | 'bad' | 'missing';

/** What is true of a device when it enrolls; a scenario can pin any of these. */
export interface DeviceFacts {
  variant: VariantKey;
  osVersion: string;
  /** A device passcode policy is assigned (matters for AOSP remote lock). */
  passcodePolicy: boolean;
  /** Work-profile variants: a work-profile password is required and the user set one. */
  workProfilePasswordSet: boolean;
  /** iOS/iPadOS: the unlock token the MDM stored from TokenUpdate. */
  unlockToken: UnlockTokenQuality;
  /** iOS/iPadOS: a passcode compliance policy is assigned. */
  passcodeCompliancePolicy: boolean;
  supervised: boolean;
  online: boolean;
  /** The user has set a device passcode. */
  devicePasscodeSet: boolean;
}

/** Defaults for facts a caller leaves out: a typical, well-configured device of the variant. */
export function defaultFacts(variant: VariantKey): DeviceFacts {
  const info = VARIANT_INFO[variant];
  const osVersion = `${info.maxOs[0]}.${info.maxOs[1]}`;
  return {
    variant,
    osVersion: variant === 'windows' ? '10.0.22631' : osVersion,
    passcodePolicy: true,
    workProfilePasswordSet: info.hasWorkProfile,
    unlockToken: info.platform === 'apple-mobile' ? 'good' : 'missing',
    passcodeCompliancePolicy: info.platform === 'apple-mobile',
    supervised: variant === 'ios-device',
    online: true,
    devicePasscodeSet: true,
  };
}
