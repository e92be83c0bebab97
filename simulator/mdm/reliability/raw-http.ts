import { connect } from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The raw bytes received, as latin1. */
  raw: string;
}

/**
 * Sends bytes as they are (no client library to fix them up) and reads until the server closes
 * or `Content-Length` bytes of body arrived. Rejects on a reset (a lost answer) or after `timeoutMs`.
 */
export function rawRequest(url: string, bytes: string | Buffer, timeoutMs = 10_000): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const raw = Buffer.concat(chunks).toString('latin1');
      const parsed = parse(raw);
      if (!parsed) return reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`));
      resolve(parsed);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const parsed = parse(Buffer.concat(chunks).toString('latin1'));
      if (parsed && parsed.headers['content-length'] !== undefined && Buffer.byteLength(parsed.body, 'latin1') >= Number(parsed.headers['content-length'])) finish();
    });
    socket.on('end', () => finish());
    socket.on('error', (error) => (chunks.length > 0 ? finish() : finish(error)));
    socket.write(bytes);
  });
}

function parse(raw: string): RawReply | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = Buffer.from(raw.slice(end + 4), 'latin1').toString('utf8');
  return { status: Number(match[1]), headers, body, raw };
}

/** True when `body` is Graph's error shape with a request id. */
export function isGraphError(body: string): boolean {
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } } }).error;
    return typeof e?.code === 'string' && typeof e.message === 'string' && typeof e.innerError?.['request-id'] === 'string';
  } catch {
    return false;
  }
}

/** True when `body` is the OAuth error shape the token endpoint answers with (RFC 6749 5.2). */
export function isOAuthError(body: string): boolean {
  try {
    const e = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    return typeof e.error === 'string' && typeof e.error_description === 'string';
  } catch {
    return false;
  }
}
