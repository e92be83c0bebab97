import { describe, expect, it } from 'vitest';
import { generateDevice, generateFleet } from '../../fleet-generator.js';
import { shardOfDevice, shardTagOf } from './device-shard.js';
import { decodeFrontToken, encodeFrontToken } from './front-lists.js';
import { devicePathRegex, haproxyConfig, hostPort } from './haproxy-config.js';

describe('device ids that carry their shard', () => {
  it('name the shard that generated them, and nothing else changes', () => {
    const plain = generateFleet({ count: 20, seed: 4 });
    const tagged = generateFleet({ count: 20, seed: 4 }, 0x2a);
    tagged.forEach((p, i) => {
      expect(shardTagOf(p.id)).toBe(0x2a);
      expect(shardOfDevice(p.id.toUpperCase(), 43)).toBe(42);
      expect(shardOfDevice(p.id, 42)).toBeNull();
      expect({ ...p, id: p.id.slice(0, 24) + p.id.slice(28) }).toEqual({ ...plain[i]!, id: plain[i]!.id.slice(0, 24) + plain[i]!.id.slice(28) });
    });
    expect(generateDevice(4, 3, 'macos', undefined, undefined, 7).id.slice(24, 28)).toBe('0007');
    expect(() => generateFleet({ count: 1, seed: 1 }, 0x10000)).toThrow(/shardTag/);
    expect(shardTagOf('not-a-guid')).toBeNull();
  });

  it('route by path in the balancer configuration: device paths of shard K only', () => {
    const id = generateDevice(1, 0, undefined, undefined, undefined, 3).id;
    const shard3 = new RegExp(devicePathRegex(3));
    for (const path of [`/v1.0/deviceManagement/managedDevices/${id}`, `/beta/deviceManagement/managedDevices/${id}/wipe`, `/sim/devices/${id}`, `/sim/devices/${id}/events`]) {
      expect(shard3.test(path), path).toBe(true);
      expect(new RegExp(devicePathRegex(2)).test(path), path).toBe(false);
    }
    for (const path of ['/v1.0/deviceManagement/managedDevices', `/v1.0/deviceManagement/managedDevices/${id}/reboot`, '/sim/devices', `/sim/devices/${id}/x`]) {
      expect(shard3.test(path), path).toBe(false);
    }
    const config = haproxyConfig({ shards: ['127.0.0.1:1', '127.0.0.1:2'], front: '127.0.0.1:3', bind: '127.0.0.1:4' });
    expect(config).toContain('use_backend shard_1 if device_on_shard_1');
    expect(config).toContain('default_backend front');
    expect(config).not.toContain('resolvers');
    expect(haproxyConfig({ shards: ['shard-0:1'], front: 'front:3', bind: '0.0.0.0:4' })).toContain('parse-resolv-conf');
    expect(hostPort('http://127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(hostPort('127.0.0.1')).toBeNull();
  });

  it("keeps the front's paging token to its own lists and shards", () => {
    const token = encodeFrontToken('d', 2, 'abc_-');
    expect(decodeFrontToken(token, 'd', 3)).toEqual({ shard: 2, inner: 'abc_-' });
    expect(decodeFrontToken(token, 'a', 3)).toBeNull();
    expect(decodeFrontToken(token, 'd', 2)).toBeNull();
    expect(decodeFrontToken(encodeFrontToken('a', 0, null), 'a', 1)).toEqual({ shard: 0, inner: null });
    expect(decodeFrontToken('bm9wZQ', 'd', 3)).toBeNull();
  });
});
