import type { Exchange } from '../contract/result-model.js';

/** Keys whose values are secrets wherever they appear in a body; a shape replaces them. */
const SECRET_KEYS = new Set([
  'passcode', 'unlockpin', 'pin', 'unlocktoken', 'access_token', 'refresh_token', 'id_token', 'client_secret',
  'clientsecret', 'password', 'recoverykey', 'token', 'bootstraptoken',
]);
/** Values of secret keys that are themselves shapes (an enrollment's `unlockToken: "good"`), kept as they are. */
const SHAPE_WORDS = new Set(['good', 'bad', 'missing', 'present', 'null', 'absent', 'none']);

const MAX_DEPTH = 8;
const MAX_ARRAY = 20;

/** What a secret looks like without its value: "<secret: 6 chars>", null stays null. */
function secretShape(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return value === '' ? '' : SHAPE_WORDS.has(value) ? value : `<secret: ${value.length} chars>`;
  return '<secret>';
}

/**
 * A body with every secret replaced by its shape: values under secret keys, and any string
 * that contains a secret the scenario saw. Long arrays are cut (a list page keeps 20 entries).
 */
export function shapeBody(value: unknown, secrets: ReadonlySet<string>, depth = 0): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of secrets) if (secret && out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ARRAY).map((v) => shapeBody(v, secrets, depth + 1));
    if (value.length > MAX_ARRAY) kept.push(`… ${value.length - MAX_ARRAY} more`);
    return kept;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? secretShape(v) : shapeBody(v, secrets, depth + 1);
  }
  return out;
}

/** An exchange as it happened: bodies are kept by reference and shaped only when a finding needs them. */
interface RawExchange {
  seq: number;
  method: string;
  path: string;
  role: string | null;
  status: number;
  requestId: string | undefined;
  deviceId: string | undefined;
  requestBody: unknown;
  responseBody: unknown;
}

const DEVICE_IN_PATH = /\/(?:managedDevices|sim\/devices)\/([^/?]+)/;
/** Exchanges kept overall and per device. */
const RECENT = 12;
const PER_DEVICE = 4;
/** Devices whose exchanges are remembered (a fleet scenario enrolls thousands). */
const DEVICES_KEPT = 20_000;
/** Exchanges attached to one finding. */
export const EVIDENCE_PER_FINDING = 6;

/**
 * A scenario's HTTP exchanges, cheap to record (a few field copies each, no serialisation): the
 * newest overall and the newest per device. A finding takes those since the previous check, or
 * the ones of the devices it names.
 */
export class EvidenceRecorder {
  private seq = 0;
  private readonly recent: RawExchange[] = [];
  private readonly byDevice = new Map<string, RawExchange[]>();
  /** Sequence number of the last exchange when the previous check was made. */
  private checkedUpTo = 0;

  constructor(private readonly secrets: ReadonlySet<string>) {}

  record(role: string | null, method: string, path: string, requestBody: unknown, status: number, responseBody: unknown, requestId?: string): void {
    let deviceId = DEVICE_IN_PATH.exec(path)?.[1];
    if (!deviceId && method === 'POST' && path === '/sim/devices') {
      const id = (responseBody as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') deviceId = id;
    }
    const raw: RawExchange = { seq: ++this.seq, method, path, role, status, requestId, deviceId, requestBody, responseBody };
    this.recent.push(raw);
    if (this.recent.length > RECENT * 2) this.recent.splice(0, this.recent.length - RECENT);
    if (deviceId) {
      let list = this.byDevice.get(deviceId);
      if (!list) {
        if (this.byDevice.size >= DEVICES_KEPT) return;
        this.byDevice.set(deviceId, (list = []));
      }
      list.push(raw);
      if (list.length > PER_DEVICE * 2) list.splice(0, list.length - PER_DEVICE);
    }
  }

  /** Evidence for a finding made now; every check (passed or not) moves the "since" mark. */
  evidenceFor(devices: readonly string[] | undefined): Exchange[] {
    let picked: RawExchange[];
    if (devices && devices.length > 0) {
      picked = (this.byDevice.get(devices[0]!) ?? []).slice(-EVIDENCE_PER_FINDING);
    } else {
      const since = this.recent.filter((e) => e.seq > this.checkedUpTo);
      picked = (since.length > 0 ? since : this.recent.slice(-2)).slice(-EVIDENCE_PER_FINDING);
    }
    return picked.map((e) => this.shape(e));
  }

  /** A check was made: later findings look only at later exchanges. */
  markChecked(): void {
    this.checkedUpTo = this.seq;
  }

  private shape(e: RawExchange): Exchange {
    return {
      method: e.method,
      path: e.path,
      role: e.role,
      status: e.status,
      ...(e.requestId ? { requestId: e.requestId } : {}),
      ...(e.deviceId ? { deviceId: e.deviceId } : {}),
      ...(e.requestBody !== undefined ? { requestBody: shapeBody(e.requestBody, this.secrets) } : {}),
      ...(e.responseBody !== undefined ? { responseBody: shapeBody(e.responseBody, this.secrets) } : {}),
    };
  }
}
