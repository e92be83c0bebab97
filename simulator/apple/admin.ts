/**
 * How lockstep asks an Apple MDM server to send a command: every server has an admin API of its
 * own. NanoMDM's (`PUT /v1/enqueue/{id}` with the command plist, `GET /v1/push/{id}`, HTTP basic
 * with user `nanomdm`) is the first adapter; MicroMDM's (`POST /v1/commands`, JSON) the second.
 * There is no push service here, so after enqueueing, the harness tells its devices to poll.
 */
export interface AppleMdmAdmin {
  readonly name: string;
  /** Queues a command (its plist) for an enrollment; resolves once the server has taken it. */
  enqueue(enrollmentId: string, command: Uint8Array, commandUuid: string): Promise<void>;
}

export class AdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

export class NanoMdmAdmin implements AppleMdmAdmin {
  readonly name = 'nanomdm';
  private readonly authorization: string;
  constructor(
    private readonly url: string,
    apiKey: string,
  ) {
    this.authorization = `Basic ${Buffer.from(`nanomdm:${apiKey}`).toString('base64')}`;
  }

  async enqueue(enrollmentId: string, command: Uint8Array, commandUuid: string): Promise<void> {
    const response = await fetch(`${this.url.replace(/\/+$/, '')}/v1/enqueue/${encodeURIComponent(enrollmentId)}`, {
      method: 'PUT',
      headers: { authorization: this.authorization, 'content-type': 'application/xml' },
      body: command,
    });
    const text = await response.text();
    // Without an APNs certificate the push fails (500 push_error) but the command is queued.
    let queued = response.status === 200;
    if (!queued && response.status === 500) {
      try {
        queued = (JSON.parse(text) as { command_uuid?: string }).command_uuid === commandUuid;
      } catch {
        queued = false;
      }
    }
    if (response.status === 401) throw new AdminError('NanoMDM refused the API key (HTTP 401): check --enqueue nanomdm:KEY');
    if (!queued) throw new AdminError(`NanoMDM did not queue ${commandUuid} for ${enrollmentId}: HTTP ${response.status}`);
  }
}

/** MicroMDM: `POST /v1/commands` with the request as JSON, HTTP basic with user `micromdm`. */
export class MicroMdmAdmin implements AppleMdmAdmin {
  readonly name = 'micromdm';
  private readonly authorization: string;
  constructor(
    private readonly url: string,
    apiKey: string,
  ) {
    this.authorization = `Basic ${Buffer.from(`micromdm:${apiKey}`).toString('base64')}`;
  }

  async enqueue(enrollmentId: string, command: Uint8Array, commandUuid: string): Promise<void> {
    // MicroMDM builds the plist itself from JSON; the command's RequestType and keys go as fields.
    const { parse } = await import('plist');
    const dict = parse(new TextDecoder().decode(command)) as { Command: Record<string, unknown> };
    const fields: Record<string, unknown> = { udid: enrollmentId, request_type: dict.Command.RequestType };
    for (const [key, value] of Object.entries(dict.Command)) {
      if (key === 'RequestType') continue;
      fields[key.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase())] = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
    }
    const response = await fetch(`${this.url.replace(/\/+$/, '')}/v1/commands`, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    if (response.status !== 201 && response.status !== 200) throw new AdminError(`MicroMDM did not queue ${commandUuid}: HTTP ${response.status}`);
  }
}

/** `nanomdm:KEY` or `micromdm:KEY`, optionally `@URL` when the admin API is elsewhere than the MDM URL. */
export function parseAdminSpec(spec: string, mdmUrl: string): AppleMdmAdmin | string {
  const match = /^(nanomdm|micromdm):([^@]+)(?:@(https?:\/\/\S+))?$/.exec(spec);
  if (!match) return `--enqueue needs nanomdm:KEY or micromdm:KEY (optionally @URL of the admin API), not '${spec.replace(/:.*$/, ':…')}'`;
  const base = match[3] ?? new URL(mdmUrl).origin;
  return match[1] === 'nanomdm' ? new NanoMdmAdmin(base, match[2]!) : new MicroMdmAdmin(base, match[2]!);
}
