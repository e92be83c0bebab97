import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createAuthConfig } from './auth.js';
import { buildOpenApi } from './openapi.js';
import { ReferenceMdm } from './reference-mdm.js';
import { startTestServer, type TestServer } from './test-support/server.js';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: any };

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** "METHOD /path/{param}" for every operation registered on the app (middleware excluded). */
function appOperations(): string[] {
  const app = createApp({ mdm: new ReferenceMdm(), auth: createAuthConfig() });
  const ops = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  return [...new Set(ops)].sort();
}

function documentOperations(doc: Doc): string[] {
  const ops: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) for (const m of Object.keys(item)) if (METHODS.includes(m)) ops.push(`${m.toUpperCase()} ${path}`);
  return ops.sort();
}

describe('OpenAPI document', () => {
  const doc = buildOpenApi() as Doc;

  it('describes exactly the routes the app registers, with the same methods and paths', () => {
    const routes = appOperations();
    expect(routes.length).toBeGreaterThan(20);
    expect(documentOperations(doc)).toEqual(routes);
  });

  it('is OpenAPI 3.1 with the oauth2 client-credentials scheme and resolvable $refs', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toBe('/oauth2/v2.0/token');
    const text = JSON.stringify(doc);
    for (const [, kind, name] of text.matchAll(/"#\/components\/(schemas|responses)\/([A-Za-z]+)"/g)) {
      expect(doc.components[kind!][name!], `${kind}/${name}`).toBeDefined();
    }
  });

  it('documents the one-in-flight 409, the Graph error schema and the sim defaults', () => {
    const reset = doc.paths['/beta/deviceManagement/managedDevices/{id}/resetPasscode']!.post;
    expect(reset.responses['409'].description).toMatch(/already pending for this device; wait until it completes/);
    expect(reset.responses['400'].description).toMatch(/notSupported/);
    expect(doc.components.schemas.GraphError.properties.error.required).toEqual(['code', 'message', 'innerError']);
    const enroll = doc.components.schemas.EnrollRequest.properties;
    expect(enroll.online.default).toBe(true);
    expect(enroll.osVersion.description).toMatch(/android-da-legacy: 6\.0/);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) {
        const params = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name).sort();
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(params, path).toEqual(inPath);
      }
    }
  });

  describe('served', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer();
    });
    afterAll(() => s.close());

    it('GET /openapi.json without auth answers the document', async () => {
      const r = await s.req(null, 'GET', '/openapi.json');
      expect(r.status).toBe(200);
      expect(r.body).toEqual(JSON.parse(JSON.stringify(doc)));
    });
  });
});
