/**
 * Wipe on every variant, one named row each: it waits `pending` while the device is
 * offline, completes when the device comes back, shows in the Device actions list, and
 * leaves the device unenrolled with no passcode.
 */
import { scenario, type Scenario } from './dsl.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';
import { ADMIN, auditsFor, stateOf, tagsFor } from './steps.js';

function wipeRow(variant: VariantKey): Scenario {
  // IR-5 states what a wipe does to an iOS/iPadOS device; elsewhere the action lifecycle rows apply.
  const erases = variant === 'ios-device' ? 'IR-5' : 'ST-2';
  return scenario({
    id: `wipe/${variant}/completes-after-check-in`,
    title: `${variant}: a wipe waits for the device, then erases and unenrolls it`,
    area: 'wipe',
    requirements: variant === 'ios-device' ? ['ST-1', 'ST-2', 'IR-5'] : ['ST-1', 'ST-2'],
    tags: tagsFor(variant, 'wipe'),
    variant,
    action: 'wipe',
    async run(t) {
      const d = await t.enroll({ variant, online: false });
      t.check('ST-2', 'HTTP status of the wipe request', await t.as(ADMIN).wipe(d), 204);
      t.check('ST-2', 'actionState while the device is offline', await stateOf(t, d, 'wipe'), 'pending');
      t.check('ST-1', 'Device actions list entries for the wipe while pending', (await auditsFor(t, d, 'wipe')).map((a) => a.actionState), ['pending']);
      t.check('ST-2', 'HTTP status of the device coming back online', await t.event(d, { type: 'goOnline' }), 200);
      t.check('ST-2', 'actionState after the device checked in', await stateOf(t, d, 'wipe'), 'done');
      t.check('ST-1', 'Device actions list entries for the wipe when done', (await auditsFor(t, d, 'wipe')).map((a) => a.actionState), ['done']);
      const truth = await t.truth(d);
      t.check(erases, 'device still enrolled after the wipe', truth.enrolled, false);
      t.check(erases, 'device passcode after the wipe', truth.devicePasscode, 'none');
    },
  });
}

export const WIPE_SCENARIOS: readonly Scenario[] = VARIANT_KEYS.map(wipeRow);
