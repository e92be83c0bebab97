/** User and device events (enterPasscode, setPasscode, reboot, offline, online, check-in): what each may change. */
import type { Truth } from '../../contract/wire.js';
import { hasWorkProfile } from './catalogue.js';
import { expectIn, type Check } from './checks.js';
import { describeEvent, type DeliveryMode, type DeviceModel, type ModelEvent } from './device-model.js';
import { ANY, Prediction } from './prediction.js';

export interface EventPrediction {
  checks: Check[];
  p: Prediction;
  mode: DeliveryMode;
  /** The requirement fields the event leaves alone are judged under. */
  frame: string;
  /** Learns from the observed truth once the event has been judged. */
  after: Array<(truth: Truth) => void>;
}

/** A user or device event; `status` is the simulation API's answer. */
export function eventPrediction(d: DeviceModel, event: ModelEvent, status: number, now: number): EventPrediction {
  const t = d.truth;
  const what = `HTTP status of ${describeEvent(event)} on device ${d.index} (${d.variant})`;
  const checks: Check[] = [];
  let p: Prediction;
  let mode: DeliveryMode = 'mustNot';
  let frame = 'TP-2';
  const after: Array<(truth: Truth) => void> = [];

  switch (event.type) {
    case 'enterPasscode': {
      p = Prediction.of(t, 'TP-2');
      // The contract: an event the device cannot take in its state is a 409 (a scope it lacks may also be a 400).
      if (event.scope === 'workProfile' && (!hasWorkProfile(d.variant) || !t.workProfile)) {
        checks.push(expectIn('TP-2', what, status, [409, 400]));
        break;
      }
      if (event.scope === 'workProfile' ? t.workProfile?.challenge === 'none' : t.devicePasscode === 'none' && !d.lockPin) {
        checks.push(expectIn('TP-2', what, status, [409]));
        break;
      }
      checks.push(expectIn('TP-2', what, status, [200]));
      if (event.scope === 'device') {
        const pin = d.lockPin;
        let right: boolean;
        let requirement = 'TP-2';
        if (pin) {
          right = event.passcode === 'learned';
          requirement = 'RL-5';
        } else if (t.devicePasscode === 'temporary') {
          right = event.passcode === 'learned';
        } else {
          right = event.passcode === 'own';
        }
        if (status === 200) {
          if (right) {
            p.set('lockScreen', ['unlocked'], requirement);
            if (!pin && t.devicePasscode === 'temporary') p.set('devicePasscode', ['temporary', 'user'], 'TP-2');
            if (pin) after.push((truth) => { if (truth.lockScreen === 'unlocked') d.lockPin = null; });
          } else {
            p.set('lockScreen', t.lockScreen === 'locked' ? ['locked'] : [t.lockScreen, 'locked'], requirement);
          }
        }
      } else {
        const wp = t.workProfile!; // present: checked above
        const right = (wp.challenge === 'user' && event.passcode === 'own') || (wp.challenge === 'temporary' && event.passcode === 'learned');
        if (status === 200) {
          if (right) {
            p.set('workProfile.locked', [false], 'TP-2');
            if (wp.challenge === 'temporary') p.set('workProfile.challenge', ['temporary', 'user'], 'TP-2');
            if (wp.resetToken === 'pending' || wp.resetToken === 'active') {
              p.set('workProfile.resetToken', ['active'], 'AN-3');
              if (wp.resetToken === 'pending') p.set('workProfile.activationNotification', [false], 'AN-2');
            } else {
              p.set('workProfile.resetToken', ANY, 'AN-4');
              p.set('workProfile.activationNotification', ANY, 'AN-4');
            }
          } else {
            p.set('workProfile.locked', wp.locked ? [true] : [false, true], 'TP-2');
            p.tag('workProfile.resetToken', 'AN-3').tag('workProfile.activationNotification', 'AN-2');
          }
        }
      }
      break;
    }
    case 'setPasscode': {
      p = Prediction.of(t, 'TP-2');
      if (event.scope === 'device') {
        const statuses = t.lockScreen === 'locked' ? [409] : t.lockScreen === 'screenOff' ? [200, 409] : [200];
        checks.push(expectIn('TP-2', what, status, statuses));
        if (status === 200) {
          p.set('devicePasscode', ['user'], 'TP-2');
          p.set('passcodePrompt', [false], 'IR-2');
        }
      } else if (!t.workProfile) {
        checks.push(expectIn('TP-2', what, status, [409, 400]));
      } else {
        const wp = t.workProfile;
        checks.push(expectIn('TP-2', what, status, wp.locked ? [409] : [200]));
        if (status === 200) {
          p.set('workProfile.challenge', ['user'], 'TP-2');
          if (wp.resetToken === 'none') {
            p.set('workProfile.resetToken', ANY, 'AN-4');
            p.set('workProfile.activationNotification', ANY, 'AN-4');
          }
        }
      }
      break;
    }
    case 'reboot': {
      checks.push(expectIn('AN-4', what, status, [200]));
      p = Prediction.of(t, 'TP-2');
      if (d.lockPin) p.set('lockScreen', ['locked'], 'RL-5');
      else if (t.devicePasscode === 'temporary') p.set('lockScreen', ['locked'], 'TP-2');
      else p.set('lockScreen', ANY, 'TP-2');
      const wp = t.workProfile;
      if (wp) {
        if (wp.challenge === 'temporary') p.set('workProfile.locked', [true], 'TP-2');
        else if (wp.challenge === 'user') p.set('workProfile.locked', [wp.locked, true], 'TP-2');
        else p.set('workProfile.locked', ANY, 'TP-2');
        p.set('workProfile.resetToken', wp.resetToken === 'active' ? ['active'] : ['none', 'pending'], 'AN-4');
        p.set('workProfile.activationNotification', ANY, 'AN-4');
        const before = wp.resetToken;
        after.push((truth) => {
          const now = truth.workProfile?.resetToken;
          if (now === 'none' && (before === 'pending' || d.tokenLost)) d.tokenLost = true;
        });
      }
      break;
    }
    case 'goOffline':
      checks.push(expectIn('ST-2', what, status, [200]));
      p = Prediction.of(t, 'ST-2').set('online', [false], 'ST-2');
      frame = 'ST-2';
      break;
    case 'goOnline':
      checks.push(expectIn('ST-2', what, status, [200]));
      p = Prediction.of(t, 'ST-2').set('online', [true], 'ST-2');
      frame = 'ST-2';
      // Coming back, a device may check in at once (the reference does); the observation tells.
      mode = 'may';
      d.onlineSince = now;
      break;
    case 'checkIn':
      checks.push(expectIn('ST-2', what, status, [200]));
      p = Prediction.of(t, 'ST-2');
      frame = 'ST-2';
      mode = 'must';
      break;
  }
  if (status !== 200 && status !== 409) {
    // Off contract: judge the device as untouched.
    p = Prediction.of(t, frame);
  }
  return { checks, p, mode, frame, after };
}
