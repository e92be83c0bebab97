import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../contract/actions.js';
import { generateFleet } from '../../fleet-generator.js';
import { serializeActionResult } from '../action-result.js';
import { ACTION_PARAMETERS } from '../management-routes.js';
import { ReferenceMdm } from '../reference-mdm.js';
import { BEYOND_V1_MEMBERS, enumMembers, V1_ENUMS } from './enums.js';
import { V1_PROPERTIES } from './managed-device.js';

const csdl = readFileSync(new URL('./managedDevice.v1.0.csdl.xml', import.meta.url), 'utf8');
const blocks = (tag: string) => [...csdl.matchAll(new RegExp(`<${tag} Name="([^"]+)"[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map(([, name, body]) => ({ name: name!, body: body! }));
const names = (body: string, tag: string) => [...body.matchAll(new RegExp(`<${tag} Name="([^"]+)"`, 'g'))].map((m) => m[1]!);

describe('the published enums, bound actions and deviceActionResult', () => {
  it('the enum table is the published one, member for member and in order', () => {
    expect(Object.fromEntries(blocks('EnumType').map((e) => [e.name, names(e.body, 'Member')]))).toEqual(V1_ENUMS);
  });

  it('the values said to go beyond v1.0 really are not published there', () => {
    for (const [name, extra] of Object.entries(BEYOND_V1_MEMBERS)) for (const m of extra) expect(V1_ENUMS[name], `${name}.${m}`).not.toContain(m);
  });

  it("each action lockstep serves takes exactly its published parameters (wipe's four, none for the others)", () => {
    const published = Object.fromEntries(blocks('Action').map((a) => [a.name, names(a.body, 'Parameter').filter((p) => p !== 'bindingParameter')]));
    for (const action of ACTIONS) expect(ACTION_PARAMETERS[action], action).toEqual(published[action]);
  });

  it('a deviceActionResult is written with the published properties of its type', () => {
    const complex = Object.fromEntries(blocks('ComplexType').map((c) => [c.name, names(c.body, 'Property')]));
    const base = complex.deviceActionResult!;
    const mdm = new ReferenceMdm();
    const [device] = generateFleet({ count: 1, seed: 5, mix: { 'ios-device': 1 } });
    mdm.enroll(device!);
    for (const action of ACTIONS) {
      const record = { actionName: action, actionState: 'pending', startedAt: 0, updatedAt: 0, passcode: null, unlockPin: null, errorCode: 0 } as unknown as Parameters<typeof serializeActionResult>[0];
      const written = Object.keys(serializeActionResult(record, true)).filter((k) => !k.startsWith('@'));
      const own = action === 'wipe' ? [] : complex[`${action}ActionResult`]!;
      // errorCode is published on resetPasscodeActionResult only; lockstep writes it on every result (a superset).
      expect(written.filter((k) => k !== 'errorCode').sort(), action).toEqual([...base, ...own].filter((k) => k !== 'errorCode').sort());
    }
  });

  it('every enum-typed property of a mixed fleet answers a member of its enum', () => {
    const mdm = new ReferenceMdm();
    for (const p of generateFleet({ count: 300, seed: 3 })) mdm.enroll(p);
    for (const spec of V1_PROPERTIES) {
      const members = enumMembers(spec.type);
      if (!members) continue;
      for (const record of mdm.all()) {
        const value = spec.value({ mdm, record, profile: record.profile, seeSecrets: false });
        expect(members, `${spec.name} = ${String(value)}`).toContain(value);
      }
    }
  });
});
