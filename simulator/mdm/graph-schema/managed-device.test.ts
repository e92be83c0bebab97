import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MANAGED_DEVICE_BETA_ONLY_PROPERTIES, MANAGED_DEVICE_V1_PROPERTIES } from '../../../contract/graph-managed-device.js';
import { BETA_ONLY_PROPERTIES, V1_PROPERTIES } from './managed-device.js';

/** The managedDevice properties of the published v1.0 schema excerpt kept next to this file. */
function publishedProperties(): Array<{ name: string; type: string; nullable: boolean }> {
  const csdl = readFileSync(new URL('./managedDevice.v1.0.csdl.xml', import.meta.url), 'utf8');
  const entity = /<EntityType Name="managedDevice"[^>]*>([\s\S]*?)<\/EntityType>/.exec(csdl)?.[1] ?? '';
  return [...entity.matchAll(/<Property Name="([^"]+)" Type="([^"]+)"([^>]*)\/>/g)].map(([, name, type, rest]) => ({
    name: name!,
    type: type!,
    nullable: !/Nullable="false"/.test(rest!),
  }));
}

describe('managedDevice as Graph v1.0 publishes it', () => {
  it('has every published property, with its type and nullability, and no other (id comes from graph.entity)', () => {
    const published = publishedProperties();
    expect(published.length).toBeGreaterThan(50);
    const ours = V1_PROPERTIES.filter((p) => p.name !== 'id').map(({ name, type, nullable }) => ({ name, type: type.replace(/^graph\./, 'graph.'), nullable }));
    expect(ours).toEqual(published);
  });

  it('the shared names (contract/graph-managed-device.ts) are the table\'s, in order', () => {
    expect(V1_PROPERTIES.map((p) => p.name)).toEqual([...MANAGED_DEVICE_V1_PROPERTIES]);
    expect(BETA_ONLY_PROPERTIES.map((p) => p.name)).toEqual([...MANAGED_DEVICE_BETA_ONLY_PROPERTIES]);
  });

  it('keeps the beta-only properties out of v1.0', () => {
    const names = new Set(publishedProperties().map((p) => p.name));
    for (const p of BETA_ONLY_PROPERTIES) expect(names.has(p.name), p.name).toBe(false);
  });
});
