import { describe, expect, it } from 'vitest';
import { parseDevicesArgs } from './devices-args.js';

describe('lockstep devices --shard K/N', () => {
  it('takes part K of N (the pods of an Indexed Job)', () => {
    expect(parseDevicesArgs(['--mdm-url', 'http://127.0.0.1:9/mdm', '--shard', '3/8', '--count', '4000']).shard).toEqual({ index: 3, count: 8 });
    expect(parseDevicesArgs(['--mdm-url', 'http://127.0.0.1:9/mdm']).shard).toBeNull();
  });

  it.each(['8/8', '1/0', 'x/2', '1', '2/-4'])('refuses --shard %s in one line', (spec) => {
    expect(() => parseDevicesArgs(['--mdm-url', 'http://127.0.0.1:9/mdm', '--shard', spec])).toThrow(/--shard needs K\/N with 0 <= K < N/);
  });
});
