/**
 * Device identities for the Apple MDM wire: a CA made for the run, and per device a certificate
 * it signs (clientAuth), the way an enrollment profile's SCEP or PKCS#12 payload gives a real
 * device one. A request proves the identity with `Mdm-Signature` (a detached CMS signature of the
 * body by that certificate, what `SignMessage` does) or, where the server is set up so, with the
 * certificate in a header. @peculiar/x509 makes the certificates (maintained, on Node's
 * WebCrypto; pkijs checks the CMS in the tests), and ECDSA P-256 keys, which NanoMDM accepts, keep 10,000
 * identities cheap. The devices of one run share one key pair; each has its own certificate.
 * Private keys never leave this module's objects.
 *
 * The libraries make the CA and one template certificate per run; each device's certificate and
 * each message's signature then reuse that layout (serial, name and signature bytes put in place,
 * signed by node:crypto), about ten times faster. pkijs verifies them in identity.test.ts, and
 * NanoMDM accepts them.
 */
import * as x509 from '@peculiar/x509';
import { KeyObject, sign, webcrypto } from 'node:crypto';
import { BIT_STRING, children, CONTEXT_0, element, INTEGER, OCTET_STRING, SEQUENCE, SET, tlv } from './der.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const crypto = globalThis.crypto;
x509.cryptoProvider.set(crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY = 24 * 3600_000;

export class RunCa {
  // Serials stay unique across runs that reuse a CA (--ca DIR): they start from the clock.
  private serial = (Math.floor(Date.now() / 1000) % 2 ** 20) * 2 ** 10;
  private template: Promise<DeviceTemplate> | null = null;
  private settledTemplate: DeviceTemplate | null = null;
  private readonly caKey: KeyObject;
  private readonly deviceKey: KeyObject;
  private constructor(
    private readonly keys: CryptoKeyPair,
    readonly certificate: x509.X509Certificate,
    /** The key pair every device certificate of this run certifies. */
    private readonly deviceKeys: CryptoKeyPair,
  ) {
    this.caKey = KeyObject.from(keys.privateKey);
    this.deviceKey = KeyObject.from(deviceKeys.privateKey);
  }

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

  /** A device certificate for `commonName` (a device id): the run's template with its own serial and name. */
  async issue(commonName: string): Promise<DeviceIdentity> {
    if (commonName.length !== TEMPLATE_NAME.length || !/^[A-Za-z0-9-]+$/.test(commonName)) {
      ++this.serial;
      return this.issueWithLibrary(commonName);
    }
    return this.fromTemplate(await (this.template ??= this.makeTemplate()), commonName);
  }

  /** Makes the template, so that `issueNow` can issue without waiting. */
  async ready(): Promise<this> {
    this.settledTemplate = await (this.template ??= this.makeTemplate());
    return this;
  }

  /** `issue` for a device id (a GUID), synchronously: needs `ready()` first. */
  issueNow(deviceId: string): DeviceIdentity {
    if (!this.settledTemplate) throw new Error('RunCa.issueNow before ready()');
    if (deviceId.length !== TEMPLATE_NAME.length || !/^[A-Za-z0-9-]+$/.test(deviceId)) throw new Error('issueNow takes a device id (a GUID)');
    return this.fromTemplate(this.settledTemplate, deviceId);
  }

  private fromTemplate(template: DeviceTemplate, commonName: string): DeviceIdentity {
    const serial = ++this.serial;
    const tbs = template.tbs.slice();
    tbs.set(serialBytes(serial), template.serialAt);
    tbs.set(new TextEncoder().encode(commonName), template.nameAt);
    const signature = sign('sha256', tbs, { key: this.caKey, dsaEncoding: 'der' });
    const der = tlv(SEQUENCE, tbs, template.signatureAlgorithm, tlv(BIT_STRING, new Uint8Array([0]), signature));
    return new DeviceIdentity(der, this.deviceKey);
  }

  private async makeTemplate(): Promise<DeviceTemplate> {
    const probe = await this.issueWithLibrary(TEMPLATE_NAME, 0x40000000);
    const der = probe.der;
    const [tbsPart, algPart] = children(der, element(der, 0).start, element(der, 0).end);
    const tbs = der.slice(tbsPart!.from, tbsPart!.end);
    const fields = children(tbs, element(tbs, 0).start, element(tbs, 0).end);
    const serial = fields[1]!;
    if (serial.tag !== INTEGER || serial.end - serial.start !== 4) throw new Error('unexpected template serial');
    const nameAt = indexOf(tbs, new TextEncoder().encode(TEMPLATE_NAME));
    return { tbs, serialAt: serial.start, nameAt, signatureAlgorithm: der.slice(algPart!.from, algPart!.end) };
  }

  private async issueWithLibrary(commonName: string, serial = this.serial): Promise<DeviceIdentity> {
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serial.toString(16).padStart(8, '0'),
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
    return new DeviceIdentity(new Uint8Array(certificate.rawData), this.deviceKey);
  }
}

/** A placeholder device name as long as a device id (a GUID), replaced in each certificate. */
const TEMPLATE_NAME = 'T'.repeat(36);

interface DeviceTemplate {
  tbs: Uint8Array;
  serialAt: number;
  nameAt: number;
  signatureAlgorithm: Uint8Array;
}

/** Four serial bytes with the top bit clear (a positive INTEGER of fixed length). */
function serialBytes(n: number): Uint8Array {
  const v = (n % 0x3fffffff) + 0x40000000;
  return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('template name not found');
}

const OID_SIGNED_DATA = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
const OID_DATA = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
const SHA256 = tlv(SEQUENCE, new Uint8Array([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]));
const ECDSA_SHA256 = tlv(SEQUENCE, new Uint8Array([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]));
const VERSION_1 = new Uint8Array([INTEGER, 1, 1]);

export class DeviceIdentity {
  private parsed: x509.X509Certificate | null = null;
  /** The parts of every signature that do not change: set up once. */
  private readonly fixed: { version: Uint8Array; digests: Uint8Array; content: Uint8Array; certificates: Uint8Array; sid: Uint8Array };
  constructor(
    readonly der: Uint8Array,
    private readonly privateKey: KeyObject,
  ) {
    const tbs = children(der, element(der, 0).start, element(der, 0).end)[0]!;
    const fields = children(der, tbs.start, tbs.end);
    const [serial, issuer] = [fields[1]!, fields[3]!];
    this.fixed = {
      version: VERSION_1,
      digests: tlv(SET, SHA256),
      content: tlv(SEQUENCE, OID_DATA),
      certificates: tlv(CONTEXT_0, der),
      sid: tlv(SEQUENCE, der.slice(issuer.from, issuer.end), der.slice(serial.from, serial.end)),
    };
  }

  /** The certificate, parsed when first asked for (the hot path needs only its bytes). */
  get certificate(): x509.X509Certificate {
    return (this.parsed ??= new x509.X509Certificate(this.der));
  }

  get pem(): string {
    return `-----BEGIN CERTIFICATE-----\n${Buffer.from(this.der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  }

  /** `Mdm-Signature`: base64 DER CMS SignedData over the body, detached, no signed attributes (RFC 5652). */
  async signature(body: Uint8Array): Promise<string> {
    return this.signatureNow(body);
  }

  /** `signature`, synchronously (node:crypto signs without waiting). */
  signatureNow(body: Uint8Array): string {
    const f = this.fixed;
    const signature = sign('sha256', body, { key: this.privateKey, dsaEncoding: 'der' });
    const signerInfo = tlv(SEQUENCE, f.version, f.sid, SHA256, ECDSA_SHA256, tlv(OCTET_STRING, signature));
    const signedData = tlv(SEQUENCE, f.version, f.digests, f.content, f.certificates, tlv(SET, signerInfo));
    return Buffer.from(tlv(SEQUENCE, OID_SIGNED_DATA, tlv(CONTEXT_0, signedData))).toString('base64');
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
