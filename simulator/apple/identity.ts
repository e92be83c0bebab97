/**
 * Device identities for the Apple MDM wire: a CA made for the run, and per device a certificate
 * it signs (clientAuth), the way an enrollment profile's SCEP or PKCS#12 payload gives a real
 * device one. A request proves the identity with `Mdm-Signature` (a detached CMS signature of the
 * body by that certificate, what `SignMessage` does) or, where the server is set up so, with the
 * certificate in a header. @peculiar/x509 makes the certificates and pkijs the CMS: both
 * maintained, on Node's WebCrypto, and ECDSA P-256 keys, which NanoMDM accepts, keep 10,000
 * identities cheap. The devices of one run share one key pair; each has its own certificate.
 * Private keys never leave this module's objects.
 */
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const crypto = globalThis.crypto;
x509.cryptoProvider.set(crypto);
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto }));

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY = 24 * 3600_000;

export class RunCa {
  // Serials stay unique across runs that reuse a CA (--ca DIR): they start from the clock.
  private serial = (Math.floor(Date.now() / 1000) % 2 ** 20) * 2 ** 10;
  private constructor(
    private readonly keys: CryptoKeyPair,
    readonly certificate: x509.X509Certificate,
    /** The key pair every device certificate of this run certifies. */
    private readonly deviceKeys: CryptoKeyPair,
  ) {}

  static async create(name = 'lockstep run device CA'): Promise<RunCa> {
    const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `CN=${name}`,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      keys,
      signingAlgorithm: EC,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    });
    const deviceKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    return new RunCa(keys, certificate, deviceKeys);
  }

  /** A CA saved by `privateKeyPem` and `pem`. */
  static async fromPem(certPem: string, keyPem: string): Promise<RunCa> {
    const certificate = new x509.X509Certificate(certPem);
    const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const publicKey = await certificate.publicKey.export(EC, ['verify']);
    const deviceKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    return new RunCa({ privateKey, publicKey } as CryptoKeyPair, certificate, deviceKeys);
  }

  async privateKeyPem(): Promise<string> {
    const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', this.keys.privateKey));
    return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  }

  /** The CA certificate in PEM, for the server's `-ca` file. */
  get pem(): string {
    return this.certificate.toString('pem');
  }

  async issue(commonName: string): Promise<DeviceIdentity> {
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: (++this.serial).toString(16).padStart(8, '0'),
      subject: `CN=${commonName.replace(/[,+="\\<>#;]/g, '_')}`,
      issuer: this.certificate.subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      publicKey: this.deviceKeys.publicKey,
      signingKey: this.keys.privateKey,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([CLIENT_AUTH]),
      ],
    });
    return new DeviceIdentity(certificate, this.deviceKeys.privateKey);
  }
}

export class DeviceIdentity {
  private readonly pkiCert: pkijs.Certificate;
  constructor(
    readonly certificate: x509.X509Certificate,
    private readonly privateKey: CryptoKey,
  ) {
    this.pkiCert = pkijs.Certificate.fromBER(certificate.rawData);
  }

  get pem(): string {
    return this.certificate.toString('pem');
  }

  /** `Mdm-Signature`: base64 DER CMS SignedData over the body, detached, no signed attributes. */
  async signature(body: Uint8Array): Promise<string> {
    const signed = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: pkijs.id_ContentType_Data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: this.pkiCert.issuer, serialNumber: this.pkiCert.serialNumber }),
        }),
      ],
      certificates: [this.pkiCert],
    });
    await signed.sign(this.privateKey, 0, 'SHA-256', body);
    const info = new pkijs.ContentInfo({ contentType: pkijs.id_ContentType_SignedData, content: signed.toSchema(true) });
    return Buffer.from(info.toSchema().toBER(false)).toString('base64');
  }

  /** The certificate as a proxy passes it on (NanoMDM's `-cert-header`): URL-query-escaped PEM. */
  get headerValue(): string {
    return encodeURIComponent(this.pem);
  }
}

/** A run CA kept on disk (ca.pem, ca-key.pem) so an external server can be set up to trust it once. */
export async function loadOrCreateCa(dir: string): Promise<{ ca: RunCa; created: boolean; certFile: string }> {
  const { existsSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) return { ca: await RunCa.fromPem(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8')), created: false, certFile };
  const ca = await RunCa.create();
  mkdirSync(dir, { recursive: true });
  writeFileSync(certFile, ca.pem);
  writeFileSync(keyFile, await ca.privateKeyPem(), { mode: 0o600 });
  return { ca, created: true, certFile };
}
