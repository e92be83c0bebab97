/**
 * What an Apple MDM server reports of its check-ins: NanoMDM (and MicroMDM) post each check-in
 * to a webhook (`-webhook-url`) with the device's raw plist. lockstep listens on 127.0.0.1 and
 * keeps, per enrollment, the UnlockToken the server last escrowed, which is what an admin layer on
 * top of a raw command queue puts in a ClearPasscode. A TokenUpdate without one keeps the old one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePlistDict } from '../../simulator/apple/protocol.js';

interface WebhookEvent {
  topic?: string;
  checkin_event?: { udid?: string; enrollment_id?: string; raw_payload?: string };
}

export class CheckinWebhook {
  private readonly tokens = new Map<string, Uint8Array>();
  private readonly seen = new Set<string>();
  private readonly tokenUpdates = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(port = 0): Promise<CheckinWebhook> {
    let hook: CheckinWebhook | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 1 << 20) chunks.push(chunk);
      });
      request.on('end', () => {
        try {
          hook?.take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookEvent);
        } catch {
          // Not a check-in event: nothing to learn.
        }
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    hook = new CheckinWebhook(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`);
    return hook;
  }

  private take(event: WebhookEvent): void {
    const checkin = event.checkin_event;
    if (!checkin?.raw_payload) return;
    const message = decodePlistDict(Buffer.from(checkin.raw_payload, 'base64'));
    if (typeof message === 'string') return;
    const id = String(message.UDID ?? message.EnrollmentID ?? checkin.udid ?? checkin.enrollment_id ?? '');
    if (!id) return;
    this.seen.add(id);
    if (message.MessageType === 'TokenUpdate') {
      this.tokenUpdates.set(id, (this.tokenUpdates.get(id) ?? 0) + 1);
      if (message.UnlockToken instanceof Uint8Array) this.tokens.set(id, message.UnlockToken);
    }
    if (message.MessageType === 'CheckOut') this.tokens.delete(id);
  }

  /** The UnlockToken the server reported for an enrollment, if any. */
  unlockToken(id: string): Uint8Array | undefined {
    return this.tokens.get(id);
  }

  /** How many TokenUpdates the server reported for this enrollment. */
  tokenUpdateCount(id: string): number {
    return this.tokenUpdates.get(id) ?? 0;
  }

  /** Whether the server reported any check-in of this enrollment. */
  sawCheckin(id: string): boolean {
    return this.seen.has(id);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
