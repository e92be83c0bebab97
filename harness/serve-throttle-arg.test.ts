import { describe, expect, it } from 'vitest';
import { INTUNE_LIMIT, parseThrottleSpec } from './serve-throttle-arg.js';

describe('serve --throttle', () => {
  it('parses N/Ws and the Intune preset, and refuses the rest', () => {
    expect(parseThrottleSpec('intune')).toEqual(INTUNE_LIMIT);
    expect(INTUNE_LIMIT).toEqual({ requests: 1000, windowSeconds: 20 });
    expect(parseThrottleSpec('30/10s')).toEqual({ requests: 30, windowSeconds: 10 });
    for (const bad of ['0/10s', '10/0s', '10', '10/10', 'ten/10s', '-1/10s']) expect(parseThrottleSpec(bad), bad).toBeNull();
  });
});
