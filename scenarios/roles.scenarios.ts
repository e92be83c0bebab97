/**
 * Roles (RB-1 to RB-3): who may reset, lock and wipe, as a role x action matrix of named
 * rows; no credentials is 401; a role that may not act gets 403 and leaves no trace.
 */
import { GRAPH_ROLE_NAMES as GRAPH_ROLES, type RoleName } from '../contract/roles.js';
import { ACTIONS, type ActionName } from '../contract/actions.js';
import { scenario, type Scenario } from './dsl.js';
import { act, ADMIN, auditsFor, stateOf } from './steps.js';


/**
 * The matrix, written out: for each action, the roles allowed and the requirement that says
 * so; every other Graph role is refused (RB-3).
 */
const ALLOWED: Readonly<Record<ActionName, Readonly<Partial<Record<RoleName, string>>>>> = {
  resetPasscode: {
    'global-administrator': 'RB-1',
    'intune-administrator': 'RB-1',
    'helpdesk-operator': 'RB-1',
    'role-administrator': 'RB-1',
    'school-administrator': 'RB-2',
  },
  remoteLock: {
    'global-administrator': 'RB-2',
    'intune-administrator': 'RB-2',
    'helpdesk-operator': 'RB-2',
    'role-administrator': 'RB-2',
    'school-administrator': 'RB-2',
    'endpoint-security-manager': 'RB-2',
  },
  wipe: {
    'global-administrator': 'RB-2',
    'intune-administrator': 'RB-2',
    'helpdesk-operator': 'RB-2',
  },
};

/** Refusals a requirement names explicitly besides RB-3. */
const REFUSED_BECAUSE: Readonly<Partial<Record<ActionName, Partial<Record<RoleName, string>>>>> = {
  resetPasscode: { 'endpoint-security-manager': 'RB-2' },
};

const SHORT: Readonly<Record<ActionName, string>> = { resetPasscode: 'reset', remoteLock: 'lock', wipe: 'wipe' };

function allowedRow(role: RoleName, action: ActionName, requirement: string): Scenario {
  return scenario({
    id: `roles/${role}/${SHORT[action]}-allowed`,
    title: `${role} may run ${action}: the request is accepted and recorded`,
    area: 'roles',
    requirements: [requirement, 'ST-1', 'ST-2'],
    tags: ['roles', role, action, 'allowed'],
    action,
    async run(t) {
      // Offline, so the accepted action stays visible as pending.
      const d = await t.enroll({ variant: 'ae-fully-managed', online: false });
      t.check(requirement, `HTTP status of ${action} as ${role}`, await act(t, role, d, action), 204);
      t.check('ST-2', `actionState of ${action} on the offline device`, await stateOf(t, d, action), 'pending');
      const audits = await auditsFor(t, d, action);
      t.check('ST-1', `Device actions list entries for ${action}`, audits.length, 1);
      t.check('ST-1', `state in the Device actions list`, audits[0]?.actionState, 'pending');
      t.checkThat('ST-1', 'who initiated the action is recorded', typeof audits[0]?.initiatedByUserPrincipalName === 'string' && audits[0].initiatedByUserPrincipalName !== '', 'the acting client', String(audits[0]?.initiatedByUserPrincipalName));
    },
  });
}

function refusedRow(role: RoleName, action: ActionName): Scenario {
  const named = REFUSED_BECAUSE[action]?.[role];
  return scenario({
    id: `roles/${role}/${SHORT[action]}-forbidden`,
    title: `${role} may not run ${action}: 403 and no trace on the device`,
    area: 'roles',
    requirements: named ? [named, 'RB-3'] : ['RB-3'],
    tags: ['roles', role, action, 'forbidden'],
    action,
    async run(t) {
      const d = await t.enroll({ variant: 'ae-fully-managed' });
      const before = await t.truth(d);
      const status = await act(t, role, d, action);
      if (named) t.check(named, `HTTP status of ${action} as ${role}`, status, 403);
      t.check('RB-3', `HTTP status of ${action} as ${role}`, status, 403);
      await t.checkIn(d);
      t.check('RB-3', `ground truth after the refused ${action}`, await t.truth(d), before);
      t.check('RB-3', `${action} result on the device`, await stateOf(t, d, action), 'absent');
      t.check('RB-3', 'Device actions list entries for the device', (await t.as(ADMIN).audits(d)).length, 0);
    },
  });
}

const matrix = ACTIONS.flatMap((action) =>
  GRAPH_ROLES.map((role) => {
    const requirement = ALLOWED[action][role];
    return requirement ? allowedRow(role, action, requirement) : refusedRow(role, action);
  }),
);

const noToken = scenario({
  id: 'roles/no-token/unauthorized',
  title: 'Without credentials every request gets 401 and nothing happens to the device',
  area: 'roles',
  requirements: ['RB-3'],
  tags: ['roles', 'no-token', 'resetPasscode', 'remoteLock', 'wipe', 'forbidden'],
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    const before = await t.truth(d);
    t.check('RB-3', 'HTTP status of reading the device without a token', await t.as(null).read(d), 401);
    for (const action of ACTIONS) {
      t.check('RB-3', `HTTP status of ${action} without a token`, await act(t, null, d, action), 401);
    }
    await t.checkIn(d);
    t.check('RB-3', 'ground truth after the refused requests', await t.truth(d), before);
    for (const action of ACTIONS) t.check('RB-3', `${action} result on the device`, await stateOf(t, d, action), 'absent');
    t.check('RB-3', 'Device actions list entries for the device', (await t.as(ADMIN).audits(d)).length, 0);
  },
});

const everyoneReads = scenario({
  id: 'roles/all-graph-roles/read',
  title: 'Every Graph role, Read Only Operator included, can read a device',
  area: 'roles',
  requirements: ['RB-3'],
  tags: ['roles', 'read'],
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device' });
    for (const role of GRAPH_ROLES) t.check('RB-3', `HTTP status of reading the device as ${role}`, await t.as(role).read(d), 200);
  },
});

export const ROLES_SCENARIOS: readonly Scenario[] = [...matrix, noToken, everyoneReads];
