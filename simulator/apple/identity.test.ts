import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { RunCa } from './identity.js';

pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: globalThis.crypto }));

describe('device identities', () => {
  it('issues per-device certificates the run CA signed, each with its own serial and name', async () => {
    const ca = await RunCa.create();
    const ids = ['6f9619ff-8b86-4011-b42d-00c04fc964ff', '7a1b2c3d-0000-4000-8000-0123456789ab'];
    const [a, b] = await Promise.all(ids.map((id) => ca.issue(id)));
    for (const [identity, id] of [[a!, ids[0]!], [b!, ids[1]!]] as const) {
      expect(identity.certificate.subject).toBe(`CN=${id}`);
      expect(identity.certificate.issuer).toBe(ca.certificate.subject);
      expect(await identity.certificate.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true })).toBe(true);
    }
    expect(a!.certificate.serialNumber).not.toBe(b!.certificate.serialNumber);
    // A name that does not fit the template goes through the library, and is as valid.
    const odd = await ca.issue('lab mac #7');
    expect(await odd.certificate.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true })).toBe(true);
  });

  it('signs bodies as a detached CMS SignedData that pkijs verifies, and not a changed body', async () => {
    const ca = await RunCa.create();
    const identity = await ca.issue('6f9619ff-8b86-4011-b42d-00c04fc964ff');
    const body = new TextEncoder().encode('<plist><dict><key>Status</key><string>Idle</string></dict></plist>');
    const der = Buffer.from(await identity.signature(body), 'base64');
    const info = pkijs.ContentInfo.fromBER(der);
    expect(info.contentType).toBe(pkijs.id_ContentType_SignedData);
    const signed = new pkijs.SignedData({ schema: info.content });
    expect(signed.encapContentInfo.eContent).toBeUndefined();
    expect(await signed.verify({ signer: 0, data: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer, checkChain: false })).toBe(true);
    const changed = new TextEncoder().encode('<plist><dict><key>Status</key><string>NotNow</string></dict></plist>');
    expect(await signed.verify({ signer: 0, data: changed.buffer as ArrayBuffer, checkChain: false }).catch(() => false)).toBe(false);
  });

  it('keeps a CA on disk and reads it back: certificates it issues later verify against the first one', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadOrCreateCa } = await import('./identity.js');
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-ca-'));
    try {
      const first = await loadOrCreateCa(dir);
      const again = await loadOrCreateCa(dir);
      expect([first.created, again.created]).toEqual([true, false]);
      const identity = await again.ca.issue('6f9619ff-8b86-4011-b42d-00c04fc964ff');
      expect(await identity.certificate.verify({ publicKey: first.ca.certificate.publicKey, signatureOnly: true })).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
