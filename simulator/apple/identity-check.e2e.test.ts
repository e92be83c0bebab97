import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSignature, IdentityChecker } from './identity-check.js';

const OPENSSL_MISSING = spawnSync('openssl', ['version']).status === 0 ? null : 'openssl is not on PATH';

describe.skipIf(OPENSSL_MISSING !== null)(`Mdm-Signature made by OpenSSL (RSA, with signed attributes)${OPENSSL_MISSING ? ` (skipped: ${OPENSSL_MISSING})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-cms-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });

  it('checks a signature with signed attributes over the right body, and refuses another body or CA', () => {
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'dev.key', '-out', 'dev.csr', '-subj', '/CN=DEVICE');
    writeFileSync(join(dir, 'ext.cnf'), 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
    run('x509', '-req', '-in', 'dev.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'dev.crt', '-extfile', 'ext.cnf');
    const body = '<plist version="1.0"><dict><key>Status</key><string>Idle</string></dict></plist>';
    writeFileSync(join(dir, 'body.plist'), body);
    const cms = run('cms', '-sign', '-binary', '-md', 'sha256', '-in', 'body.plist', '-signer', 'dev.crt', '-inkey', 'dev.key', '-outform', 'DER');
    const bytes = new TextEncoder().encode(body);
    expect(typeof checkSignature(cms, bytes)).toBe('object');
    expect(checkSignature(cms, new TextEncoder().encode(body.replace('Idle', 'Acknowledged')))).toBe('Mdm-Signature does not sign this body');
    const header = (value: string) => (name: string) => (name === 'mdm-signature' ? value : undefined);
    const trusting = new IdentityChecker(readFileSync(join(dir, 'ca.crt'), 'utf8'), 'signature');
    expect(typeof trusting.check(header(cms.toString('base64')), bytes)).toBe('object');
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', '-subj', '/CN=other CA');
    const other = new IdentityChecker(readFileSync(join(dir, 'other.crt'), 'utf8'), 'signature');
    expect(other.check(header(cms.toString('base64')), bytes)).toBe('the certificate is not issued by the trusted CA');
  });
});
