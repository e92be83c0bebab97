/**
 * The server side of device identity: which enrollment certificate sent a request. The
 * certificate comes from `Mdm-Signature` (a detached CMS SignedData over the body, checked here
 * against the body) or, behind a proxy that ends TLS, from a header holding its URL-escaped PEM.
 * Either way it must be issued by the trusted CA and carry the clientAuth purpose; anything else
 * is a reason string (never the certificate or key material). node:crypto does the checks.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { children, CONTEXT_0, element, OCTET_STRING, SEQUENCE, SET } from './der.js';

export type IdentityMode = 'signature' | { header: string };

const MESSAGE_DIGEST_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04]);

export class IdentityChecker {
  private readonly ca: X509Certificate;
  /** Certificates already checked against the CA (keyed by their DER, base64): the chain is verified once per device. */
  private readonly known = new Map<string, X509Certificate | string>();
  constructor(
    caPem: string,
    readonly mode: IdentityMode,
  ) {
    this.ca = new X509Certificate(caPem);
  }

  /** The sender's certificate, or why the request does not prove one. */
  check(headers: (name: string) => string | undefined, body: Uint8Array): X509Certificate | string {
    let certificate: X509Certificate | string;
    if (this.mode === 'signature') {
      const value = headers('mdm-signature');
      if (!value) return 'no Mdm-Signature header';
      certificate = checkSignature(Buffer.from(value, 'base64'), body, (der) => this.trusted(der));
    } else {
      const value = headers(this.mode.header.toLowerCase());
      if (!value) return `no ${this.mode.header} header`;
      try {
        certificate = this.trusted(new X509Certificate(decodeURIComponent(value)).raw);
      } catch {
        certificate = 'the certificate header does not hold a PEM certificate';
      }
    }
    return certificate;
  }

  /** The certificate if the CA issued it for client authentication and it is valid now, else why not. */
  private trusted(der: Uint8Array): X509Certificate | string {
    const key = Buffer.from(der).toString('base64');
    let known = this.known.get(key);
    if (known === undefined) {
      known = this.checkIssued(new X509Certificate(Buffer.from(der)));
      if (this.known.size > 100_000) this.known.clear();
      this.known.set(key, known);
    }
    if (typeof known !== 'string' && Date.parse(known.validTo) < Date.now()) return 'the certificate is not valid now';
    return known;
  }

  private checkIssued(certificate: X509Certificate): X509Certificate | string {
    if (!certificate.checkIssued(this.ca) || !certificate.verify(this.ca.publicKey)) return 'the certificate is not issued by the trusted CA';
    const now = Date.now();
    if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now) return 'the certificate is not valid now';
    if (certificate.keyUsage !== undefined && !certificate.keyUsage.includes('1.3.6.1.5.5.7.3.2')) return 'the certificate is not for client authentication';
    return certificate;
  }
}

/** The signer's certificate of a detached CMS signature over `body`, or why it does not sign it. */
export function checkSignature(
  cms: Uint8Array,
  body: Uint8Array,
  trusted: (der: Uint8Array) => X509Certificate | string = (der) => new X509Certificate(Buffer.from(der)),
): X509Certificate | string {
  try {
    const content = children(cms, element(cms, 0).start, element(cms, 0).end);
    if (content[1]?.tag !== CONTEXT_0) return 'Mdm-Signature is not a CMS SignedData';
    const signedData = element(cms, content[1].start);
    if (signedData.tag !== SEQUENCE) return 'Mdm-Signature is not a CMS SignedData';
    const parts = children(cms, signedData.start, signedData.end);
    const certificates = parts.find((p) => p.tag === CONTEXT_0);
    const signerInfos = parts.at(-1);
    if (!certificates || signerInfos?.tag !== SET) return 'Mdm-Signature carries no certificate or signer';
    const first = children(cms, certificates.start, certificates.end)[0]!;
    const certificate = trusted(cms.subarray(first.from, first.end));
    if (typeof certificate === 'string') return certificate;
    const signer = children(cms, signerInfos.start, signerInfos.end)[0]!;
    const fields = children(cms, signer.start, signer.end);
    const signature = fields.find((f) => f.tag === OCTET_STRING);
    if (!signature) return 'Mdm-Signature has no signature value';
    const attributes = fields.find((f) => f.tag === CONTEXT_0);
    let signed: Uint8Array = body;
    if (attributes) {
      // Signed attributes: the signature covers them (as a SET), and their messageDigest covers the body.
      const digest = createHash('sha256').update(body).digest();
      const raw = Buffer.from(cms.slice(attributes.from, attributes.end));
      if (!raw.includes(MESSAGE_DIGEST_OID) || !raw.includes(digest)) return 'Mdm-Signature does not sign this body';
      raw[0] = SET;
      signed = raw;
    }
    const ok = verify('sha256', signed, certificate.publicKey, Buffer.from(cms.slice(signature.start, signature.end)));
    return ok ? certificate : 'Mdm-Signature does not sign this body';
  } catch {
    return 'Mdm-Signature is not a CMS SignedData';
  }
}
