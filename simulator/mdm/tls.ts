/**
 * HTTPS for `lockstep serve --tls`: real Graph clients send tokens only over https and treat only
 * https `@odata.nextLink`s as absolute. A self-signed certificate for the loopback names is made
 * at start (or the operator's own is read), and written where a client can be told to trust it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';
import { UsageError } from '../../contract/usage-error.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where the certificate a client should trust was written (self-signed), or read from. */
  certFile: string;
}

export type TlsSetting = { kind: 'self-signed'; certOut?: string } | { kind: 'files'; certFile: string; keyFile: string };

/** The certificate and key to serve with; a self-signed one names localhost, 127.0.0.1, ::1 and the listen host. */
export async function tlsMaterial(setting: TlsSetting, host: string): Promise<TlsMaterial> {
  if (setting.kind === 'files') {
    const read = async (file: string, what: string) => {
      try {
        return await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the TLS ${what} file ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
    };
    const [cert, key] = await Promise.all([read(setting.certFile, 'certificate'), read(setting.keyFile, 'key')]);
    if (!cert.includes('BEGIN CERTIFICATE')) throw new UsageError(`${setting.certFile} is not a PEM certificate`);
    if (!/BEGIN [A-Z ]*PRIVATE KEY/.test(key)) throw new UsageError(`${setting.keyFile} is not a PEM private key`);
    return { cert, key, certFile: setting.certFile };
  }
  const bare = host.replace(/^\[|\]$/g, '');
  const isIp = /^[\d.]+$/.test(bare) || bare.includes(':');
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
    ...(bare !== 'localhost' && bare !== '127.0.0.1' && bare !== '::1' ? [isIp ? { type: 7 as const, ip: bare } : { type: 2 as const, value: bare }] : []),
  ];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: 'lockstep mock MDM' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // Its own issuer, so clients trust it as a root (NODE_EXTRA_CA_CERTS, a `ca` option).
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const certFile = setting.certOut ?? join(tmpdir(), 'lockstep-tls', `cert-${process.pid}.pem`);
  try {
    mkdirSync(dirname(certFile), { recursive: true });
    writeFileSync(certFile, pems.cert);
  } catch (error) {
    throw new UsageError(`cannot write the TLS certificate to ${certFile} (${(error as NodeJS.ErrnoException).code ?? 'unwritable'})`);
  }
  return { cert: pems.cert, key: pems.private, certFile };
}
