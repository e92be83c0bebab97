/**
 * The OpenAPI 3.1 document of the mock MDM, served at GET /openapi.json. A plain object;
 * openapi.test.ts checks that it lists exactly the routes the app registers.
 */
import { DEFAULT_TOP, MAX_TOP } from './odata-query.js';
import { SCHEMAS } from './openapi-schemas.js';
import { AUDIT_FIELDS, DEVICE_FILTER_FIELDS, DEVICE_TIME_FILTER_FIELDS } from './serialize.js';
import { PROPERTY_NAMES_BY_VERSION } from './graph-schema/managed-device.js';

type Json = Record<string, unknown>;

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: schema(name) } });
const error = (description: string) => ({ description, content: json('GraphError') });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const ok = (description: string, name: string) => ({ description, content: json(name) });

const graphSecurity = [{ oauth2: ['https://graph.microsoft.com/.default'] }];
const simSecurity = [{ oauth2: ['sim-controller'] }];

/** Errors every authenticated operation can answer. */
const common = {
  '400': response('BadRequest'),
  '401': response('Unauthorized'),
  '403': response('Forbidden'),
  '405': response('MethodNotAllowed'),
};
const withBody = { '413': response('RequestEntityTooLarge'), '415': response('UnsupportedMediaType') };

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The managedDevice id (a GUID; matched case-insensitively).' };
const tenantParam = { name: 'tenant', in: 'path', required: true, schema: { type: 'string' }, description: 'Any tenant id or name (ignored), as Entra clients send it.' };

const listParams = (filterFields: readonly string[], selectFields: readonly string[], expressions = false) => [
  { name: '$top', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_TOP, default: DEFAULT_TOP }, description: `Page size, 1 to ${MAX_TOP} (default ${DEFAULT_TOP}); anything else is 400.` },
  {
    name: '$skiptoken',
    in: 'query',
    schema: { type: 'string' },
    description: 'Opaque cursor from @odata.nextLink. Paging is stable while devices are added: a device enrolled during paging appears once, at the end. A token from before DELETE /sim/fleet is 400.',
  },
  {
    name: '$filter',
    in: 'query',
    schema: { type: 'string' },
    description: expressions
      ? `\`<property> eq|ne '<value>'\` and \`startswith(<property>,'<text>')\`, combined with \`and\`, \`or\`, \`not\` and parentheses (a quote inside a literal is written ''), on ${filterFields.join(', ')}; \`<property> eq|ne|gt|ge|lt|le <DateTimeOffset>\` (unquoted, e.g. 2026-01-31T08:00:00Z) on ${DEVICE_TIME_FILTER_FIELDS.join(', ')}. Strings compare case-insensitively. A property the type does not have is 400 "Could not find a property named ..."; any other expression is 400.`
      : `\`<property> eq '<value>'\` clauses joined by \`and\` (a quote inside a literal is written ''), on ${filterFields.join(', ')}. Values compare case-insensitively. Any other expression is 400.`,
  },
  { name: '$select', in: 'query', schema: { type: 'string' }, description: `Comma-separated properties: ${selectFields.join(', ')}. An unknown one is 400.` },
  { name: '$count', in: 'query', schema: { type: 'boolean' }, description: '`true` adds @odata.count (matches of the filter).' },
];

function managementPaths(version: 'v1.0' | 'beta'): Json {
  const root = `/${version}/deviceManagement`;
  const tag = [`Management API (${version})`];
  const action = (name: string, summary: string, extra: Json = {}) => ({
    post: {
      tags: tag,
      operationId: `${version}-${name}`,
      summary,
      security: graphSecurity,
      parameters: [idParam],
      ...extra,
      responses: {
        '204': { description: 'Accepted: the action is pending until the device checks in.' },
        '400': error('Bad input, or the action is not supported on the device\'s platform: it is never sent to the device and is recorded with actionState notSupported (ST-3).'),
        '401': response('Unauthorized'),
        '403': error('The role may not run this action; nothing is recorded and the device is untouched (RB-3).'),
        '404': error('No managedDevice has this id.'),
        '405': response('MethodNotAllowed'),
        '409': error(
          `One in flight: the same action is already pending for this device ("${name} is already pending for this device; wait until it completes"). Nothing changes and no second audit is recorded.`,
        ),
        ...withBody,
      },
    },
  });
  return {
    [`${root}/managedDevices`]: {
      get: {
        tags: tag,
        operationId: `${version}-listManagedDevices`,
        summary: 'List managed devices, in enrollment order, paged.',
        security: graphSecurity,
        parameters: listParams(DEVICE_FILTER_FIELDS, PROPERTY_NAMES_BY_VERSION[version], true),
        responses: { '200': ok('A page of devices.', 'ManagedDeviceList'), ...common },
      },
    },
    [`${root}/managedDevices/{id}`]: {
      get: {
        tags: tag,
        operationId: `${version}-getManagedDevice`,
        summary: 'One managed device, with its latest action results.',
        security: graphSecurity,
        parameters: [idParam, { name: '$select', in: 'query', schema: { type: 'string' }, description: 'Comma-separated properties.' }],
        responses: { '200': ok('The device.', 'ManagedDevice'), ...common, '404': error('No managedDevice has this id.') },
      },
    },
    [`${root}/managedDevices/{id}/resetPasscode`]: action(
      'resetPasscode',
      'Reset the passcode (Android device owner, AOSP, legacy device administrator: a temporary passcode shown for 7 days; work-profile variants: the work-profile passcode; iOS/iPadOS: passcode removal). Roles: global-administrator, intune-administrator, helpdesk-operator, role-administrator, school-administrator. No body (an empty JSON object is accepted).',
    ),
    [`${root}/managedDevices/{id}/remoteLock`]: action(
      'remoteLock',
      'Lock the device (macOS: with a 6-digit unlockPin). Roles: those that may reset, plus endpoint-security-manager. No body.',
    ),
    [`${root}/managedDevices/{id}/wipe`]: action('wipe', 'Wipe (factory reset) the device. Roles: global-administrator, intune-administrator, helpdesk-operator.', {
      requestBody: { required: false, content: json('WipeRequest') },
    }),
    // Graph publishes remoteActionAudits on beta only.
    ...(version === 'beta'
      ? {
          [`${root}/remoteActionAudits`]: {
            get: {
              tags: tag,
              operationId: `${version}-listRemoteActionAudits`,
              summary: 'The Device actions list (beta only, as in Graph): every action taken, newest first, paged like managedDevices.',
              security: graphSecurity,
              parameters: listParams(['managedDeviceId'], AUDIT_FIELDS),
              responses: { '200': ok('A page of audits.', 'RemoteActionAuditList'), ...common },
            },
          },
        }
      : {}),
  };
}

const simTag = ['Simulation API'];
const simOp = (operationId: string, summary: string, responses: Json, extra: Json = {}) => ({
  tags: simTag,
  operationId,
  summary,
  security: simSecurity,
  ...extra,
  responses: { ...responses, ...common },
});
const simBody = (name: string) => ({ requestBody: { required: true, content: json(name) } });
const tokenOp = (operationId: string, parameters: unknown[]) => ({
  post: {
    tags: ['Authentication'],
    operationId,
    summary: 'OAuth 2.0 client credentials token (form-encoded; client_secret_post or client_secret_basic).',
    security: [],
    parameters,
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: schema('TokenRequest') } } },
    responses: {
      '200': ok('An access token.', 'TokenResponse'),
      '400': { description: 'invalid_client or invalid_request.', content: json('OAuthError') },
      '413': response('RequestEntityTooLarge'),
    },
  },
});

function simPaths(): Json {
  return {
    '/sim/devices': {
      post: simOp('enrollDevice', 'Enroll one device of a chosen variant; facts left out get the documented defaults.', {
        '201': ok('The managedDevice with its `sim` ground truth.', 'EnrolledDevice'),
        ...withBody,
      }, simBody('EnrollRequest')),
    },
    '/sim/fleet': {
      post: simOp('enrollFleet', 'Enroll a generated fleet (same seed, same fleet). Up to 10 000 devices are enrolled within the request (201); a larger fleet is enrolled in slices as an operation (202 with Location: /sim/operations/{operationId}, poll it until succeeded or failed). Beyond --max-devices: 409, nothing enrolled.', {
        '201': ok('How many devices were enrolled.', 'FleetResponse'),
        '202': ok('The fleet operation (Location: its URL).', 'FleetOperation'),
        '409': error('A generated device id is already enrolled; nothing was enrolled.'),
        ...withBody,
      }, simBody('FleetRequest')),
      delete: simOp('clearFleet', 'Remove every device and action.', { '204': { description: 'Cleared.' } }),
    },
    '/sim/operations/{operationId}': {
      get: simOp('getFleetOperation', 'A fleet operation: notStarted, running, succeeded or failed (with an error), devices enrolled so far.', {
        '200': ok('The operation.', 'FleetOperation'),
        '404': error('Unknown operation (only the last 100 are kept).'),
      }, { parameters: [{ name: 'operationId', in: 'path', required: true, schema: { type: 'string' }, description: 'The id in the Location of a 202 fleet post.' }] }),
    },
    '/sim/devices/{id}': {
      get: simOp('getTruth', "A device's ground truth.", { '200': ok('Ground truth.', 'SimTruth'), '404': error('Unknown device.') }, { parameters: [idParam] }),
    },
    '/sim/devices/{id}/events': {
      post: simOp('deviceEvent', 'A user or device event. checkIn delivers pending commands; goOnline also checks in when commands wait.', {
        '200': ok('The new ground truth.', 'SimTruth'),
        '404': error('Unknown device.'),
        '409': error('The device cannot take the event in its state (e.g. entering a passcode on a device with none); the message names the reason.'),
        ...withBody,
      }, { parameters: [idParam], ...simBody('SimEventRequest') }),
    },
    '/sim/devices/{id}/apple': {
      get: simOp('appleDeviceSide', "An Apple device's own side of the Apple MDM protocol: whether it enrolled, checked out, and the last commands it received (request type, payload keys and their plist types, its answer; never a token or PIN).", {
        '200': { description: 'The device side.', content: { 'application/json': { schema: { type: 'object' } } } },
        '404': error('Unknown device.'),
        '409': error('Not an Apple device on the protocol (another variant, or --apple-commands direct).'),
      }, { parameters: [idParam] }),
      post: simOp('appleDeviceStep', 'Make the Apple device act on the protocol: {"action": "enroll" (again after a checkOut) | "poll" | "tokenUpdate" | "checkOut" | "notNow"}, with rotateUnlockToken / withoutUnlockToken for tokenUpdate and count (1 to 100) for notNow. A poll is a check-in: pending Graph commands, then anything else queued.', {
        '200': { description: 'The commands handled ({id, handled: [...]}).', content: { 'application/json': { schema: { type: 'object' } } } },
        '404': error('Unknown device.'),
        '409': error('Not an Apple device on the protocol, or it cannot act in its state (offline, wiped).'),
        ...withBody,
      }, { parameters: [idParam], requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['action'] } } } } }),
    },
    '/sim/clock': {
      get: simOp('getClock', 'The simulated clock.', { '200': ok('Now.', 'ClockState') }),
      post: simOp('moveClock', 'Move simulated time forward; due check-ins happen on the way.', { '200': ok('Now.', 'ClockState'), ...withBody }, simBody('ClockRequest')),
    },
    '/sim/stats': {
      get: simOp('getStats', 'Fleet counts by variant and state, actions by state.', { '200': ok('Counts.', 'Stats') }),
    },
    '/sim/events': {
      get: simOp('events', 'Server-Sent Events: `hello` ({now, mode, devices}) first; then `device` (data: {kind, id, at, truth}) and `action` (data: {kind, id, at, actionName, actionState, errorReason}) per change; a `: heartbeat` comment every 15 s; `dropped` ({dropped: n}) when a slow client fell more than 10 000 events behind and the oldest were dropped.', {
        '200': { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      }),
    },
  };
}

const plistBody = (description: string) => ({ description, content: { 'application/xml': { schema: { type: 'string' } } } });
const appleTag = ['Apple MDM protocol'];
const adminSecurity = [{ nanomdmBasic: [] }];
const enrollmentParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The enrollment id: a UDID, or the EnrollmentID of a User Enrollment (several, comma-separated).' };

/** The Apple side: what devices send, and the NanoMDM-style admin API (`--apple-api-key`). Errors are Graph-shaped JSON. */
function applePaths(): Json {
  return {
    '/mdm': {
      put: {
        tags: appleTag,
        operationId: 'appleMdm',
        summary: "Apple's check-in (Authenticate, TokenUpdate, CheckOut) and command protocol (Idle and command results), as devices send them: a plist body proved by Mdm-Signature (a detached CMS signature by a certificate of the CA the server trusts, --apple-ca).",
        security: [],
        requestBody: { required: true, content: { 'application/x-apple-aspen-mdm-checkin': { schema: { type: 'string' } }, 'application/x-apple-aspen-mdm': { schema: { type: 'string' } } } },
        responses: {
          '200': plistBody('The next command as a plist, or an empty body.'),
          '400': error('Not a plist dictionary, or no UDID / EnrollmentID, or an unknown MessageType.'),
          '401': error('No identity the server trusts.'),
          '403': error('Not the certificate this device enrolled with.'),
          '404': error('Not enrolled (Authenticate first), or checked out; or the server has no Apple endpoint (--apple-commands direct).'),
        },
      },
    },
    '/v1/enqueue/{id}': {
      put: {
        tags: appleTag,
        operationId: 'appleEnqueue',
        summary: 'Queue a command plist (CommandUUID, Command.RequestType) for enrollments, as NanoMDM does.',
        security: adminSecurity,
        parameters: [enrollmentParam],
        requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } } } },
        responses: { '200': { description: '{status, command_uuid, request_type}', content: { 'application/json': { schema: { type: 'object' } } } }, '400': error('No enrollment took the command.'), '401': error('No or wrong admin key (or the admin API is off).') },
      },
    },
    '/v1/push/{id}': {
      get: {
        tags: appleTag,
        operationId: 'applePush',
        summary: 'Push enrollments (counted; there is no APNs here).',
        security: adminSecurity,
        parameters: [enrollmentParam],
        responses: { '200': { description: '{status: {id: {push_error?}}}', content: { 'application/json': { schema: { type: 'object' } } } }, '401': error('No or wrong admin key (or the admin API is off).') },
      },
    },
  };
}

/** The OpenAPI 3.1 document (both faces). */
export function buildOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'lockstep mock MDM',
      version: '1.0.0',
      description:
        'Two faces on one server: a Microsoft Graph-shaped management API (under /v1.0 and /beta) for passcode reset, passcode removal, remote lock and wipe, and the simulation API (/sim) for the device and user side. Every 4xx and 5xx is a Graph error with a request id (also in the `request-id` header). Request bodies are limited to 64 KiB (413); JSON bodies need Content-Type application/json (415); unknown or wrongly typed fields are 400. A wrong method on a known path is 405 with an Allow header. Where the contract is silent the server does what Graph does: $filter values compare case-insensitively, ids are matched case-insensitively, unknown $-options are 400 while other query parameters are ignored.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'Authentication' },
      { name: 'Management API (v1.0)' },
      { name: 'Management API (beta)' },
      { name: 'Simulation API', description: 'Role sim-controller only.' },
      { name: 'Apple MDM protocol', description: 'What Apple devices and an Apple admin integration speak (PUT /mdm; the NanoMDM-style admin API with --apple-api-key).' },
      { name: 'Meta' },
    ],
    paths: {
      '/openapi.json': {
        get: { tags: ['Meta'], operationId: 'openapi', summary: 'This document (no authentication).', security: [], responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/oauth2/v2.0/token': tokenOp('token', []),
      '/{tenant}/oauth2/v2.0/token': tokenOp('tenantToken', [tenantParam]),
      '/{tenant}/v2.0/.well-known/openid-configuration': {
        get: { tags: ['Auth'], operationId: 'openIdConfiguration', summary: "The tenant's OpenID Connect discovery document (what MSAL and @azure/identity read first); every URL in it points at this server.", security: [], parameters: [tenantParam], responses: { '200': { description: 'Discovery document', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/{tenant}/discovery/v2.0/keys': {
        get: { tags: ['Auth'], operationId: 'signingKeys', summary: 'The JSON Web Key Set: empty, since access tokens are HS256 with a shared secret.', security: [], parameters: [tenantParam], responses: { '200': { description: 'JWKS', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      ...managementPaths('v1.0'),
      ...managementPaths('beta'),
      ...simPaths(),
      ...applePaths(),
    },
    components: {
      securitySchemes: {
        nanomdmBasic: { type: 'http', scheme: 'basic', description: 'User nanomdm, password the --apple-api-key.' },
        oauth2: {
          type: 'oauth2',
          description: 'Client credentials. Missing, malformed, badly signed or expired tokens are 401 (with WWW-Authenticate: Bearer); a role that may not do the thing is 403. Graph routes take every Graph role; /sim takes only sim-controller.',
          flows: { clientCredentials: { tokenUrl: '/oauth2/v2.0/token', scopes: { 'https://graph.microsoft.com/.default': 'Graph roles', 'sim-controller': 'Simulation API' } } },
        },
      },
      schemas: SCHEMAS,
      responses: {
        BadRequest: error('Bad input: malformed JSON, an unknown or wrongly typed field, or an unsupported query option ($top outside 1..1000, bad $filter/$select/$skiptoken, unknown $option).'),
        Unauthorized: error("Missing, malformed, badly signed or expired bearer token (code 'InvalidAuthenticationToken', as Graph answers)."),
        Forbidden: error("The token's role may not do this."),
        MethodNotAllowed: error('The path exists but not with this method; the Allow header lists the methods.'),
        RequestEntityTooLarge: error('The body is over the limit (64 KiB by default).'),
        UnsupportedMediaType: error('A body that is not declared application/json.'),
      },
    },
  };
}
