/**
 * `GET /sim/events` over shards: one Server-Sent Events stream merged from every shard's. The
 * shards' `hello` events become one (the first shard's clock, the devices summed); every other
 * event is passed on whole, each shard's in its order, shards interleaved by arrival.
 */
import type { IncomingMessage } from 'node:http';
import type { ShardClient } from './shard-client.js';

/** Complete SSE blocks (ending in a blank line) from a byte stream, in order. */
function blocks(res: IncomingMessage, onBlock: (block: string) => void, onEnd: () => void): void {
  let buffered = '';
  res.setEncoding('utf8');
  res.on('data', (text: string) => {
    buffered += text;
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      onBlock(buffered.slice(0, end + 2));
      buffered = buffered.slice(end + 2);
    }
  });
  res.on('end', onEnd);
  res.on('error', onEnd);
  res.on('close', onEnd);
}

function helloData(block: string): { now?: string; mode?: string; devices?: number } {
  const line = block.split('\n').find((l) => l.startsWith('data: '));
  try {
    return line ? (JSON.parse(line.slice(6)) as { now?: string; mode?: string; devices?: number }) : {};
  } catch {
    return {};
  }
}

export type MergedEvents = { refused: { status: number; headers: IncomingMessage['headers']; body: Buffer } } | { stream: ReadableStream<Uint8Array> };

/** Opens every shard's stream; the first refusal (401, 403...) is answered instead of a stream. */
export async function mergedEvents(shards: readonly ShardClient[], path: string, headers: Record<string, string>): Promise<MergedEvents> {
  const opened = shards.map((s) => s.stream(path, headers));
  const abortAll = () => opened.forEach((o) => o.abort());
  let responses: IncomingMessage[];
  try {
    responses = await Promise.all(opened.map((o) => o.response));
  } catch (error) {
    abortAll();
    throw error;
  }
  const bad = responses.find((r) => r.statusCode !== 200);
  if (bad) {
    const chunks: Buffer[] = [];
    for await (const chunk of bad) chunks.push(chunk as Buffer);
    abortAll();
    return { refused: { status: bad.statusCode ?? 502, headers: bad.headers, body: Buffer.concat(chunks) } };
  }
  const encoder = new TextEncoder();
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const hellos: Array<string | null> = responses.map(() => null);
      const early: string[][] = responses.map(() => []);
      let greeted = false;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const end = () => {
        if (closed) return;
        closed = true;
        abortAll();
        controller.close();
      };
      responses.forEach((res, k) => {
        blocks(
          res,
          (block) => {
            if (hellos[k] === null && block.startsWith('event: hello')) {
              hellos[k] = block;
              if (hellos.every((h) => h !== null)) {
                const first = helloData(hellos[0]!);
                const devices = hellos.reduce((sum, h) => sum + Number(helloData(h!).devices ?? 0), 0);
                write(`event: hello\ndata: ${JSON.stringify({ now: first.now, mode: first.mode, devices })}\n\n`);
                greeted = true;
                for (const queued of early) for (const b of queued.splice(0)) write(b);
              }
              return;
            }
            if (!greeted) early[k]!.push(block);
            else write(block);
          },
          end,
        );
      });
    },
    cancel() {
      closed = true;
      abortAll();
    },
  });
  return { stream };
}
