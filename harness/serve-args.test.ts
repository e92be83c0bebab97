import { describe, expect, it } from 'vitest';
import { UsageError } from '../contract/usage-error.js';
import { parseServeArgs } from './serve-args.js';

describe('lockstep serve flags', () => {
  it('parses flags with defaults', () => {
    expect(parseServeArgs([])).toEqual({ port: 4000, host: '127.0.0.1', devices: 0, seed: 1, clock: 'real' });
    expect(parseServeArgs(['--port', '0', '--host=::1', '--devices', '500', '--seed', '42', '--clock', 'manual', '--clients', 'c.json', '--allow-non-loopback'])).toEqual({
      port: 0,
      host: '::1',
      devices: 500,
      seed: 42,
      clock: 'manual',
      clientsFile: 'c.json',
      allowNonLoopback: true,
    });
    expect(parseServeArgs(['--help']).help).toBe(true);
    expect(parseServeArgs(['--tls', '--public-url', 'https://mdm.example.test:8443/', '--throttle', 'intune'])).toMatchObject({
      tls: { kind: 'self-signed' },
      publicUrl: 'https://mdm.example.test:8443',
      throttle: { requests: 1000, windowSeconds: 20 },
    });
    expect(parseServeArgs(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--trust-forwarded', '--throttle', '30/10s'])).toMatchObject({
      tls: { kind: 'files', certFile: 'c.pem', keyFile: 'k.pem' },
      trustForwarded: true,
      throttle: { requests: 30, windowSeconds: 10 },
    });
  });

  it.each([
    [['--port', '70000'], /--port must be a whole number from 0 to 65535, not '70000'/],
    [['--port'], /lockstep serve: Option '--port <value>' argument missing/],
    [['--devices', '-1'], /lockstep serve: Option '--devices' argument is ambiguous/],
    [['--clock', 'fast'], /--clock must be real or manual/],
    [['--devices=-1'], /--devices must be a whole number from 0 to 100000000, not '-1'/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--seed', '1', '--seed', '2'], /--seed is given more than once/],
    [['--tls-cert', 'c.pem'], /--tls-cert and --tls-key go together/],
    [['--public-url', 'mdm.example.test'], /--public-url must be an absolute URL/],
    [['--public-url', 'https://mdm.example.test/lockstep'], /origin only/],
    [['--public-url', 'ftp://mdm.example.test'], /must be http or https/],
    [['--public-url', 'https://x.test', '--trust-forwarded'], /use one/],
    [['--throttle', 'fast'], /--throttle needs N\/Ws/],
  ])('rejects %j with a one-line UsageError', (argv, message) => {
    let error: unknown;
    try {
      parseServeArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads --shard and --signing-key-file; --workers is gone (shards are processes behind HAProxy)', () => {
    expect(parseServeArgs(['--shard', '1/4', '--signing-key-file', 'k'])).toMatchObject({ shard: { index: 1, count: 4 }, signingKeyFile: 'k' });
    expect(() => parseServeArgs(['--shard', '4/4'])).toThrow(/--shard needs K\/N/);
    expect(() => parseServeArgs(['--workers', '2'])).toThrow(/--workers/);
  });

  it('takes -h and rejects a value on --allow-non-loopback', () => {
    expect(parseServeArgs(['-h']).help).toBe(true);
    expect(() => parseServeArgs(['--allow-non-loopback=yes'])).toThrow(UsageError);
    expect(() => parseServeArgs(['--host', ' '])).toThrow(/--host needs an address/);
  });
});
