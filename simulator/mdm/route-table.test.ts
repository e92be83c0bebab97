import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createAuthConfig } from './auth.js';
import { ReferenceMdm } from './reference-mdm.js';
import { ROUTE_NAMES, ROUTES, routePaths } from './route-table.js';

describe('the route table', () => {
  it('lists exactly the routes the Hono app registers (a new route must be added to it, with its scope)', () => {
    const app = createApp({ mdm: new ReferenceMdm(), auth: createAuthConfig() });
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    const table = new Set(ROUTE_NAMES.flatMap((name) => routePaths(name).map((path) => `${ROUTES[name].method} ${path}`)));
    expect([...registered].filter((r) => !table.has(r)), 'registered by the app but missing from ROUTES').toEqual([]);
    expect([...table].filter((r) => !registered.has(r)), 'in ROUTES but not registered by the app').toEqual([]);
  });

  it('expands versions and actions', () => {
    expect(routePaths('deviceAction')).toHaveLength(6);
    expect(routePaths('deviceAction')).toContain('/beta/deviceManagement/managedDevices/:id/wipe');
    expect(routePaths('stats')).toEqual(['/sim/stats']);
  });

  it('gives every device-scoped route an :id', () => {
    for (const name of ROUTE_NAMES) expect(ROUTES[name].path.includes(':id'), name).toBe(ROUTES[name].scope === 'device');
  });
});
