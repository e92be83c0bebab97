import { describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { buildVersionOf, enrollmentIdOf, queryResponses } from './device-names.js';

describe('what an Apple device says about itself', () => {
  it('DeviceInformation answers the queries asked that it knows; a User Enrollment never gives its hardware identity', () => {
    const phone = generateDevice(4, 0, 'ios-device');
    expect(queryResponses(phone, ['DeviceName', 'UDID', 'NoSuchQuery'])).toEqual({ DeviceName: phone.deviceName, UDID: phone.id.toUpperCase() });
    expect(queryResponses(phone, undefined)).toMatchObject({ SerialNumber: phone.serialNumber, OSVersion: phone.osVersion, BuildVersion: buildVersionOf(phone.osVersion) });
    const personal = generateDevice(4, 1, 'ios-user-enrollment');
    const all = queryResponses(personal, undefined);
    expect(all).not.toHaveProperty('UDID');
    expect(all).not.toHaveProperty('SerialNumber');
    expect(queryResponses(personal, ['UDID', 'SerialNumber'])).toEqual({});
  });

  it('names derive from the id: the same device, the same EnrollmentID; another device, another', () => {
    expect(enrollmentIdOf('a')).toBe(enrollmentIdOf('a'));
    expect(enrollmentIdOf('a')).not.toBe(enrollmentIdOf('b'));
    expect(enrollmentIdOf('a')).toMatch(/^[0-9A-F]{24}$/);
  });
});
