/** JSON Schemas (OpenAPI 3.1 components) of the mock MDM's bodies. Plain data. */
import { defaultFacts } from '../device-facts.js';
import { DEVICE_STATE_KEYS } from './fleet-stats.js';
import { ROLE_NAMES } from '../../contract/roles.js';
import { VARIANT_KEYS } from '../../contract/variants.js';
import { PROPERTIES_BY_VERSION, type PropertySpec } from './graph-schema/managed-device.js';
import { enumMembers, V1_ENUMS } from './graph-schema/enums.js';


const ACTION_STATES = V1_ENUMS.actionState!;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function defaultsTable(pick: (variant: (typeof VARIANT_KEYS)[number]) => string | boolean): string {
  return VARIANT_KEYS.map((v) => `${v}: ${String(pick(v))}`).join('; ');
}

const dateTime = { type: 'string', format: 'date-time' };

/** A managedDevice property's JSON Schema, from its EDM type. */
function propertySchema(p: PropertySpec): Record<string, unknown> {
  const scalar: Record<string, unknown> =
    p.type === 'Edm.Boolean' ? { type: 'boolean' }
    : p.type === 'Edm.Int64' ? { type: 'integer', format: 'int64' }
    : p.type === 'Edm.DateTimeOffset' ? { ...dateTime }
    : p.type === 'Collection(graph.deviceActionResult)' ? { type: 'array', items: ref('DeviceActionResult') }
    : p.type.startsWith('graph.') && /^graph\.(configurationManagerClientEnabledFeatures|deviceHealthAttestationState)$/.test(p.type) ? { type: 'object' }
    : { type: 'string' };
  const members = enumMembers(p.type);
  if (members) scalar.enum = p.nullable ? [...members, null] : [...members];
  if (p.type.startsWith('graph.')) scalar.description = `${p.type.slice(6)}${p.betaOnly ? ' (beta only)' : ''}`;
  else if (p.betaOnly) scalar.description = 'beta only';
  if (p.nullable && !Array.isArray(scalar.type)) scalar.type = [scalar.type as string, 'null'];
  return scalar;
}
const guid = { type: 'string', format: 'uuid' };

export const SCHEMAS: Record<string, unknown> = {
  GraphError: {
    type: 'object',
    description: 'Microsoft Graph error shape, on every 4xx and 5xx of the management and simulation APIs. The request id is also in the `request-id` response header.',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'innerError'],
        properties: {
          code: {
            type: 'string',
            enum: ['BadRequest', 'InvalidAuthenticationToken', 'Forbidden', 'ResourceNotFound', 'MethodNotAllowed', 'Conflict', 'RequestEntityTooLarge', 'UnsupportedMediaType', 'TooManyRequests', 'InternalServerError'],
          },
          message: { type: 'string' },
          innerError: {
            type: 'object',
            required: ['date', 'request-id'],
            properties: { date: dateTime, 'request-id': guid, 'client-request-id': { type: 'string' } },
          },
        },
      },
    },
  },
  OAuthError: {
    type: 'object',
    description: 'OAuth 2.0 error (token endpoint only). Per the contract a wrong secret, an unknown client and a grant type other than client_credentials are all `invalid_client`; a missing grant_type or a body that is not form-encoded is `invalid_request`.',
    required: ['error', 'error_description'],
    properties: { error: { type: 'string', enum: ['invalid_client', 'invalid_request'] }, error_description: { type: 'string' } },
  },
  TokenRequest: {
    type: 'object',
    required: ['grant_type', 'client_id', 'client_secret'],
    properties: {
      grant_type: { const: 'client_credentials' },
      client_id: { type: 'string', description: `Built-in local clients (unless a clients file replaces them): ${ROLE_NAMES.join(', ')}; each one's secret is the same string.` },
      client_secret: { type: 'string' },
      scope: { type: 'string', description: 'Accepted and ignored.' },
    },
  },
  TokenResponse: {
    type: 'object',
    required: ['token_type', 'expires_in', 'access_token'],
    properties: {
      token_type: { const: 'Bearer' },
      expires_in: { const: 3600, description: 'Wall-clock seconds (the simulated clock does not expire tokens).' },
      ext_expires_in: { type: 'integer' },
      access_token: { type: 'string', description: 'HS256 JWT with `sub` (client id), `role`, `iat`, `exp`; signed with a key chosen at server start.' },
    },
  },
  DeviceActionResult: {
    type: 'object',
    description: 'The latest action of each name on a device. `passcode` (resetPasscode) and `unlockPin` (remoteLock, macOS) are shown only to roles that may reset passcodes, else null. A temporary passcode is shown for seven days of simulated time after the reset, then null.',
    required: ['@odata.type', 'actionName', 'actionState', 'startDateTime', 'lastUpdatedDateTime', 'errorCode'],
    properties: {
      '@odata.type': { type: 'string', enum: ['#microsoft.graph.resetPasscodeActionResult', '#microsoft.graph.remoteLockActionResult', '#microsoft.graph.deviceActionResult'] },
      actionName: { type: 'string', enum: ['resetPasscode', 'remoteLock', 'wipe'] },
      actionState: { type: 'string', enum: ACTION_STATES },
      startDateTime: dateTime,
      lastUpdatedDateTime: dateTime,
      passcode: { type: ['string', 'null'] },
      unlockPin: { type: ['string', 'null'] },
      errorCode: { type: 'integer', description: '0, or the device\'s refusal (1001 API_LEVEL, 1002 MANAGEMENT_MODE, 1003 INVALID_VALUE, 1004 UNSUPPORTED, 1101 RESET_TOKEN_NOT_ACTIVE, 1201 BAD_UNLOCK_TOKEN, 1202 UNLOCK_TOKEN_MISSING, 1301 NO_PASSCODE_POLICY, 1302 LOCK_PIN_OUTSTANDING)' },
    },
  },
  ManagedDevice: {
    type: 'object',
    description:
      "A Graph managedDevice: every v1.0 property as Microsoft publishes it (generated from the property table that managed-device.test.ts checks against the published schema), plus beta's own on /beta. With $select only the selected properties are written.",
    properties: Object.fromEntries(PROPERTIES_BY_VERSION.beta.map((p) => [p.name, propertySchema(p)])),
  },
  ManagedDeviceList: {
    type: 'object',
    required: ['@odata.context', 'value'],
    properties: {
      '@odata.context': { type: 'string' },
      '@odata.count': { type: 'integer', description: 'With $count=true: how many devices match the filter.' },
      '@odata.nextLink': { type: 'string', description: 'Absolute URL of the next page; absent on the last page.' },
      value: { type: 'array', items: ref('ManagedDevice') },
    },
  },
  RemoteActionAudit: {
    type: 'object',
    description: 'One action taken (never a passcode or PIN).',
    properties: {
      id: guid,
      managedDeviceId: guid,
      deviceDisplayName: { type: 'string' },
      userName: { type: 'string', description: "The device's user principal name." },
      deviceOwnerUserPrincipalName: { type: 'string' },
      deviceIMEI: { type: 'string' },
      initiatedByUserPrincipalName: { type: 'string', description: 'The client id that acted.' },
      action: { type: 'string', enum: ['resetPasscode', 'remoteLock', 'factoryReset'] },
      requestDateTime: dateTime,
      actionState: { type: 'string', enum: ACTION_STATES },
    },
  },
  RemoteActionAuditList: {
    type: 'object',
    required: ['@odata.context', 'value'],
    properties: {
      '@odata.context': { type: 'string' },
      '@odata.count': { type: 'integer' },
      '@odata.nextLink': { type: 'string' },
      value: { type: 'array', items: ref('RemoteActionAudit') },
    },
  },
  WipeRequest: {
    type: 'object',
    additionalProperties: false,
    description: 'Optional. Accepted and validated; the simulated wipe always erases the device.',
    properties: { keepEnrollmentData: { type: 'boolean' }, keepUserData: { type: 'boolean' }, macOsUnlockCode: { type: 'string', maxLength: 64 }, persistEsimDataPlan: { type: 'boolean' } },
  },
  EnrollRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['variant'],
    description: 'Facts left out get the defaults of a typical, well-configured device of the variant (listed per property).',
    properties: {
      variant: { type: 'string', enum: VARIANT_KEYS },
      osVersion: { type: 'string', description: `Must be a version the variant can run (else 400). Default: ${defaultsTable((v) => defaultFacts(v).osVersion)}` },
      deviceName: { type: 'string', minLength: 1, maxLength: 128, description: 'Default: a generated, Intune-style name.' },
      passcodePolicy: { type: 'boolean', default: true, description: 'A device passcode policy is assigned (AOSP remote lock needs it). Default: true.' },
      workProfilePasswordSet: { type: 'boolean', description: `Default: ${defaultsTable((v) => defaultFacts(v).workProfilePasswordSet)}` },
      unlockToken: { type: 'string', enum: ['good', 'bad', 'missing'], description: `Default: ${defaultsTable((v) => defaultFacts(v).unlockToken)}` },
      passcodeCompliancePolicy: { type: 'boolean', description: `Default: ${defaultsTable((v) => defaultFacts(v).passcodeCompliancePolicy)}` },
      supervised: { type: 'boolean', description: `Default: ${defaultsTable((v) => defaultFacts(v).supervised)}` },
      online: { type: 'boolean', default: true, description: 'Default: true.' },
      devicePasscodeSet: { type: 'boolean', default: true, description: 'The user has set a device passcode. Default: true.' },
    },
  },
  WorkProfileTruth: {
    type: 'object',
    properties: {
      challenge: { type: 'string', enum: ['none', 'user', 'temporary'] },
      locked: { type: 'boolean' },
      resetToken: { type: 'string', enum: ['none', 'pending', 'active'] },
      activationNotification: { type: 'boolean' },
    },
  },
  SimTruth: {
    type: 'object',
    description: 'Ground truth of a simulated device (never a secret).',
    required: ['variant', 'online', 'enrolled', 'lockScreen', 'devicePasscode', 'passcodePrompt', 'pendingCommands'],
    properties: {
      id: guid,
      variant: { type: 'string', enum: VARIANT_KEYS },
      online: { type: 'boolean' },
      enrolled: { type: 'boolean' },
      lockScreen: { type: 'string', enum: ['locked', 'unlocked', 'screenOff'] },
      devicePasscode: { type: 'string', enum: ['none', 'user', 'temporary'] },
      workProfile: ref('WorkProfileTruth'),
      passcodePrompt: { type: 'boolean' },
      lockPinOutstanding: { type: 'boolean', description: 'macOS only.' },
      pendingCommands: { type: 'integer' },
    },
  },
  EnrolledDevice: {
    allOf: [ref('ManagedDevice'), { type: 'object', required: ['sim'], properties: { sim: ref('SimTruth') } }],
  },
  FleetRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['count', 'seed'],
    description: 'The same seed (and options) always generates the same fleet. All or nothing: if any generated id is already enrolled, nothing is enrolled (409).',
    properties: {
      count: { type: 'integer', minimum: 1, maximum: 1000000 },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
      mix: { type: 'object', description: 'Relative weights by variant key. Default: a typical enterprise fleet.', propertyNames: { enum: VARIANT_KEYS }, additionalProperties: { type: 'number', minimum: 0 } },
      rates: {
        type: 'object',
        additionalProperties: false,
        description: 'Probabilities (0..1) of facts.',
        properties: Object.fromEntries(
          Object.entries({ offline: 0.05, passcodePolicy: 0.85, workProfilePasswordSet: 0.9, badUnlockToken: 0.03, missingUnlockToken: 0.02, passcodeCompliancePolicy: 0.8, supervised: 0.6, devicePasscodeSet: 0.95 }).map(
            ([k, d]) => [k, { type: 'number', minimum: 0, maximum: 1, default: d }],
          ),
        ),
      },
      startIndex: { type: 'integer', minimum: 0, default: 0, description: 'Index of the first device, for extra batches of the same seed.' },
      returnIds: { type: 'boolean', default: false, description: 'Answer with the ids of the enrolled devices.' },
    },
  },
  FleetResponse: {
    type: 'object',
    required: ['count'],
    properties: { count: { type: 'integer' }, total: { type: 'integer', description: 'Devices enrolled in all.' }, ids: { type: 'array', items: guid } },
  },
  FleetOperation: {
    type: 'object',
    required: ['id', 'status', 'count', 'enrolled', 'total', 'createdDateTime', 'lastActionDateTime'],
    properties: {
      id: guid,
      status: { type: 'string', enum: ['notStarted', 'running', 'succeeded', 'failed'] },
      count: { type: 'integer', description: 'Devices asked for.' },
      enrolled: { type: 'integer', description: 'Devices enrolled so far (none before every id was checked).' },
      total: { type: 'integer', description: 'Devices enrolled in all.' },
      createdDateTime: { type: 'string', format: 'date-time' },
      lastActionDateTime: { type: 'string', format: 'date-time' },
      error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  SimEventRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['checkIn', 'enterPasscode', 'setPasscode', 'reboot', 'goOffline', 'goOnline', 'wake'] },
      passcode: { type: 'string', minLength: 1, maxLength: 64, description: 'enterPasscode: exactly this string (default: the user types their own current passcode). setPasscode: required, the new passcode.' },
      scope: { type: 'string', enum: ['device', 'workProfile'], default: 'device', description: 'enterPasscode/setPasscode only.' },
    },
  },
  ClockState: {
    type: 'object',
    required: ['now', 'mode'],
    properties: { now: dateTime, mode: { type: 'string', enum: ['real', 'manual'] } },
  },
  ClockRequest: {
    type: 'object',
    additionalProperties: false,
    description: "Exactly one of `advance` and `to`. Time never moves back (400).",
    properties: {
      advance: { type: 'string', description: 'ISO 8601 duration of weeks, days, hours, minutes, seconds: P7D, PT15M, P7DT1H.', examples: ['P7DT1H'] },
      to: { ...dateTime, description: 'An instant no earlier than now.' },
    },
  },
  Stats: {
    type: 'object',
    properties: {
      devices: { type: 'integer' },
      byVariant: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
      byState: { type: 'object', properties: Object.fromEntries(DEVICE_STATE_KEYS.map((k) => [k, { type: 'integer' }])) },
      actions: { type: 'object', properties: Object.fromEntries(ACTION_STATES.map((k) => [k, { type: 'integer' }])) },
    },
  },
};
