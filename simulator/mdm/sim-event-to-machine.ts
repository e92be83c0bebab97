import type { UserEvent } from '../device-events.js';
import type { SimEvent } from './reference-mdm-types.js';

/** The machine event for a `/sim` device event (check-ins are the MDM's, not the device's). */
export function toMachineEvent(event: Exclude<SimEvent, { type: 'checkIn' }>): Exclude<UserEvent, { type: 'ENROLLMENT_COMPLETE' }> {
  switch (event.type) {
    case 'enterPasscode':
      return event.scope === 'workProfile'
        ? { type: 'ENTER_WORK_CHALLENGE', ...(event.passcode !== undefined ? { passcode: event.passcode } : {}) }
        : { type: 'ENTER_PASSCODE', ...(event.passcode !== undefined ? { passcode: event.passcode } : {}) };
    case 'setPasscode':
      return event.scope === 'workProfile' ? { type: 'SET_WORK_CHALLENGE', passcode: event.passcode } : { type: 'SET_PASSCODE', passcode: event.passcode };
    case 'reboot':
      return { type: 'REBOOT' };
    case 'wake':
      return { type: 'WAKE' };
    case 'goOffline':
      return { type: 'GO_OFFLINE' };
    case 'goOnline':
      return { type: 'GO_ONLINE' };
  }
}
