/**
 * Every HTTP route of the mock MDM, written once. The Hono app registers its handlers on these
 * paths (route-table.test.ts checks that it registers exactly these), the aggregating front of a
 * sharded fleet registers one handler per route name (a Record, so a new route does not compile
 * until the front knows what to do with it), and the HAProxy configuration sends the
 * device-addressed ones straight to the shard named in the device id.
 */
import { ACTIONS, type ActionName } from '../../contract/actions.js';

export const GRAPH_VERSIONS = ['v1.0', 'beta'] as const;
export const GRAPH_ACTIONS: readonly ActionName[] = ACTIONS;

/**
 * Where a request can be answered in a sharded fleet:
 * - `device`: by the shard that holds the device named by `:id` (and only there);
 * - `fleet`: by every shard, the answers merged (lists, counts, stats, events) or broadcast (clock, clearing);
 * - `any`: by any shard (token, OpenAPI document);
 * - `enrollment`: by the shard holding the Apple device the message body names (its UDID).
 */
export type RouteScope = 'device' | 'fleet' | 'any' | 'enrollment';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Hono path template; `{version}` stands for each Graph version, `{action}` for each device action. */
  path: string;
  scope: RouteScope;
}

export const ROUTES = {
  openApi: { method: 'GET', path: '/openapi.json', scope: 'any' },
  token: { method: 'POST', path: '/oauth2/v2.0/token', scope: 'any' },
  tenantToken: { method: 'POST', path: '/:tenant/oauth2/v2.0/token', scope: 'any' },
  openIdConfiguration: { method: 'GET', path: '/:tenant/v2.0/.well-known/openid-configuration', scope: 'any' },
  signingKeys: { method: 'GET', path: '/:tenant/discovery/v2.0/keys', scope: 'any' },
  listDevices: { method: 'GET', path: '/{version}/deviceManagement/managedDevices', scope: 'fleet' },
  getDevice: { method: 'GET', path: '/{version}/deviceManagement/managedDevices/:id', scope: 'device' },
  deviceAction: { method: 'POST', path: '/{version}/deviceManagement/managedDevices/:id/{action}', scope: 'device' },
  // Graph has remoteActionAudits on beta only; v1.0 answers 400 for the segment.
  listAudits: { method: 'GET', path: '/beta/deviceManagement/remoteActionAudits', scope: 'fleet' },
  enrollDevice: { method: 'POST', path: '/sim/devices', scope: 'fleet' },
  enrollFleet: { method: 'POST', path: '/sim/fleet', scope: 'fleet' },
  clearFleet: { method: 'DELETE', path: '/sim/fleet', scope: 'fleet' },
  fleetOperation: { method: 'GET', path: '/sim/operations/:operationId', scope: 'fleet' },
  simDevice: { method: 'GET', path: '/sim/devices/:id', scope: 'device' },
  simDeviceEvent: { method: 'POST', path: '/sim/devices/:id/events', scope: 'device' },
  // An Apple device's own side of the Apple MDM protocol: what it received; enroll, poll, TokenUpdate, CheckOut, NotNow.
  simAppleDevice: { method: 'GET', path: '/sim/devices/:id/apple', scope: 'device' },
  simAppleDeviceStep: { method: 'POST', path: '/sim/devices/:id/apple', scope: 'device' },
  getClock: { method: 'GET', path: '/sim/clock', scope: 'fleet' },
  setClock: { method: 'POST', path: '/sim/clock', scope: 'fleet' },
  stats: { method: 'GET', path: '/sim/stats', scope: 'fleet' },
  events: { method: 'GET', path: '/sim/events', scope: 'fleet' },
  // The Apple MDM protocol (check-in and command results, as devices send them) and a NanoMDM-style admin API.
  appleMdm: { method: 'PUT', path: '/mdm', scope: 'enrollment' },
  appleEnqueue: { method: 'PUT', path: '/v1/enqueue/:id', scope: 'device' },
  applePush: { method: 'GET', path: '/v1/push/:id', scope: 'device' },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

/** One route's concrete path for a Graph version and action (where its template has them). */
export function routePath(name: RouteName, version: string = 'v1.0', action: string = 'resetPasscode'): string {
  return ROUTES[name].path.replace('{version}', version).replace('{action}', action);
}

/** Every concrete path of a route: one per Graph version and action its template names. */
export function routePaths(name: RouteName): string[] {
  const template: string = ROUTES[name].path;
  const versions = template.includes('{version}') ? GRAPH_VERSIONS : ['v1.0'];
  const actions = template.includes('{action}') ? GRAPH_ACTIONS : ['resetPasscode'];
  return versions.flatMap((v) => actions.map((a) => routePath(name, v, a)));
}
