/**
 * The front's HTTP link to one `lockstep serve --shard K/N` process: keep-alive connections,
 * whole answers for ordinary requests and a raw response for event streams.
 */
import { Agent, request, type IncomingMessage } from 'node:http';

export interface ShardReply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A shard did not answer (refused, reset, not listening). */
export class ShardUnreachable extends Error {
  override name = 'ShardUnreachable';
  constructor(readonly shard: number, cause: string) {
    super(`shard ${shard} is unreachable (${cause})`);
  }
}

export class ShardClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly host: string;
  private readonly port: number;

  constructor(readonly index: number, readonly baseUrl: string) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:') throw new Error(`shard ${index}: only http:// shard URLs are supported, got ${baseUrl}`);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
  }

  /** Sends one request (path with its query) and reads the whole answer. */
  call(method: string, path: string, headers: Record<string, string>, body: Uint8Array | null): Promise<ShardReply> {
    return new Promise((resolve, reject) => {
      const req = this.open(method, path, headers, body, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
        res.on('error', (error) => reject(new ShardUnreachable(this.index, error.message)));
      });
      req.on('error', (error: NodeJS.ErrnoException) => reject(new ShardUnreachable(this.index, error.code ?? error.message)));
    });
  }

  /** Opens a request whose answer is read as it comes (event streams). `abort()` ends it. */
  stream(path: string, headers: Record<string, string>): { response: Promise<IncomingMessage>; abort(): void } {
    let abort = () => {};
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      const req = this.open('GET', path, headers, null, resolve);
      req.on('error', (error: NodeJS.ErrnoException) => reject(new ShardUnreachable(this.index, error.code ?? error.message)));
      abort = () => req.destroy();
    });
    return { response, abort: () => abort() };
  }

  private open(method: string, path: string, headers: Record<string, string>, body: Uint8Array | null, onResponse: (res: IncomingMessage) => void) {
    const outgoing: Record<string, string> = { ...headers };
    if (body && body.byteLength > 0) outgoing['content-length'] = String(body.byteLength);
    const req = request({ agent: this.agent, host: this.host, port: this.port, method, path, headers: outgoing }, onResponse);
    req.end(body && body.byteLength > 0 ? body : undefined);
    return req;
  }

  close(): void {
    this.agent.destroy();
  }
}
