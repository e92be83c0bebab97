import { describe, expect, it } from 'vitest';
import { EVIDENCE_PER_FINDING, EvidenceRecorder, shapeBody } from './evidence-recorder.js';

describe('evidence', () => {
  it('replaces every secret by its shape: secret keys anywhere, and any string holding a secret the scenario saw', () => {
    const secrets = new Set(['Zq81-77xY']);
    const body = {
      deviceActionResults: [{ actionName: 'resetPasscode', passcode: 'Zq81-77xY', unlockPin: null }],
      access_token: 'eyJ.abc.def',
      note: 'the code Zq81-77xY was shown',
      spec: { unlockToken: 'good' },
    };
    const shaped = JSON.stringify(shapeBody(body, secrets));
    expect(shaped).not.toContain('Zq81-77xY');
    expect(shaped).not.toContain('eyJ.abc.def');
    expect(shaped).toContain('"passcode":"<secret: 9 chars>"');
    expect(shaped).toContain('"unlockPin":null');
    expect(shaped).toContain('the code [redacted] was shown');
    expect(shaped).toContain('"unlockToken":"good"');
  });

  it('a finding takes the exchanges since the previous check, or those of the device it names', () => {
    const recorder = new EvidenceRecorder(new Set());
    recorder.record('sim-controller', 'POST', '/sim/devices', { variant: 'macos' }, 201, { id: 'dev-1' }, 'r1');
    recorder.record('helpdesk-operator', 'POST', '/beta/deviceManagement/managedDevices/dev-2/remoteLock', undefined, 204, undefined, 'r2');
    recorder.markChecked();
    recorder.record('helpdesk-operator', 'GET', '/beta/deviceManagement/managedDevices/dev-2', undefined, 200, { id: 'dev-2' }, 'r3');
    expect(recorder.evidenceFor(undefined).map((e) => e.requestId)).toEqual(['r3']);
    expect(recorder.evidenceFor(['dev-1'])).toEqual([
      { method: 'POST', path: '/sim/devices', role: 'sim-controller', status: 201, requestId: 'r1', deviceId: 'dev-1', requestBody: { variant: 'macos' }, responseBody: { id: 'dev-1' } },
    ]);
    for (let i = 0; i < 20; i++) recorder.record(null, 'GET', `/x/${i}`, undefined, 401, {});
    expect(recorder.evidenceFor(undefined)).toHaveLength(EVIDENCE_PER_FINDING);
  });
});
