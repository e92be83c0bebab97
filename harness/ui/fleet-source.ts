import type { StatsView } from '../../simulator/mdm/fleet-stats.js';
import type { ChangeEvent, ReferenceMdm, SimTruth } from '../../simulator/mdm/reference-mdm.js';
import { LockstepClient, TargetError, type Credentials } from '../client.js';
import { openEventStream, type BackoffOptions, type EventStreamHandle } from '../event-stream.js';
import type { WatchStore } from './watch-store.js';

/** A device action as the dashboard shows it: whether a passcode or PIN exists, never its value. */
export interface ActionView {
  actionName: string;
  actionState: string;
  startDateTime: string | null;
  lastUpdatedDateTime: string | null;
  /** A temporary passcode (reset) or unlock PIN (macOS lock) is on record; shown as dots. */
  secretIssued: boolean;
  errorCode: number;
}

export interface AuditView {
  action: string;
  actionState: string;
  requestDateTime: string;
  initiatedBy: string;
}

export interface DeviceDetail {
  id: string;
  deviceName: string | null;
  operatingSystem: string | null;
  osVersion: string | null;
  truth: SimTruth;
  actions: ActionView[];
  /** Device actions list entries for the device, newest first. */
  audits: AuditView[];
}

/** Where the dashboard's data comes from: a `lockstep serve` over HTTP, or the embedded demo. */
export interface FleetSource {
  /** One line for the header: the URL, or "demo: 5 000 devices, seed 1". */
  readonly label: string;
  /** Starts feeding the store: change events, stats (about twice a second) and connection status. */
  start(store: WatchStore): void;
  device(id: string): Promise<DeviceDetail>;
  close(): Promise<void>;
}

export const STATS_POLL_MS = 500;
const AUDITS_SHOWN = 10;

/** Drops secret values at the boundary: only whether one was issued survives. */
export function actionView(raw: Record<string, unknown>): ActionView {
  const secret = raw.passcode ?? raw.unlockPin;
  return {
    actionName: String(raw.actionName ?? '?'),
    actionState: String(raw.actionState ?? '?'),
    startDateTime: typeof raw.startDateTime === 'string' ? raw.startDateTime : null,
    lastUpdatedDateTime: typeof raw.lastUpdatedDateTime === 'string' ? raw.lastUpdatedDateTime : null,
    secretIssued: typeof secret === 'string' && secret !== '',
    errorCode: typeof raw.errorCode === 'number' ? raw.errorCode : 0,
  };
}

export function auditView(raw: Record<string, unknown>): AuditView {
  return {
    action: String(raw.action ?? '?'),
    actionState: String(raw.actionState ?? '?'),
    requestDateTime: String(raw.requestDateTime ?? ''),
    initiatedBy: String(raw.initiatedByUserPrincipalName ?? ''),
  };
}

/** Polls `fetchStats` into the store, one request at a time; returns a stop function. */
export function pollStats(store: WatchStore, fetchStats: () => Promise<StatsView>, intervalMs = STATS_POLL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    try {
      const stats = await fetchStats();
      if (!stopped) store.setStats(stats);
    } catch (error) {
      if (!stopped) store.setStatsError(error instanceof Error ? error.message : String(error));
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** The in-process demo: the reference MDM's change emitter feeds the store directly, no HTTP. */
export function embeddedFleetSource(mdm: ReferenceMdm, label: string): FleetSource {
  let stopStats: (() => void) | null = null;
  let listener: ((event: ChangeEvent) => void) | null = null;
  return {
    label,
    start(store) {
      store.setVariantResolver((id) => mdm.get(id)?.profile.facts.variant);
      listener = (event) => store.ingest(event);
      mdm.changes.on('change', listener);
      store.hello({ now: mdm.clock.nowIso(), devices: mdm.size });
      store.setConnection({ state: 'connected' });
      stopStats = pollStats(store, async () => mdm.stats.view());
    },
    async device(id) {
      const record = mdm.get(id);
      if (!record) throw new Error(`no device ${id}`);
      const p = record.profile;
      const audits = mdm
        .allAudits()
        .filter((a) => a.deviceSeq === record.seq)
        .slice(-AUDITS_SHOWN)
        .reverse();
      return {
        id,
        deviceName: p.deviceName,
        operatingSystem: p.operatingSystem,
        osVersion: p.osVersion,
        truth: mdm.truthOf(record),
        actions: mdm.latestActions(record).map((a) =>
          actionView({
            actionName: a.actionName,
            actionState: a.actionState,
            startDateTime: new Date(a.startedAt).toISOString(),
            lastUpdatedDateTime: new Date(a.updatedAt).toISOString(),
            passcode: a.passcode === null ? null : 'issued',
            unlockPin: a.unlockPin === null ? null : 'issued',
            errorCode: a.errorCode,
          }),
        ),
        audits: audits.map((a) => ({
          action: a.actionName === 'wipe' ? 'factoryReset' : a.actionName,
          actionState: a.actionState,
          requestDateTime: new Date(a.startedAt).toISOString(),
          initiatedBy: a.initiatedBy,
        })),
      };
    },
    async close() {
      stopStats?.();
      if (listener) mdm.changes.off('change', listener);
    },
  };
}

export interface HttpSourceOptions {
  url: string;
  credentials?: Credentials;
  backoff?: BackoffOptions;
  statsPollMs?: number;
  fetch?: typeof fetch;
}

/**
 * A `lockstep serve` (or any server speaking the contract): GET /sim/stats polled, GET
 * /sim/events streamed, reconnecting with backoff. A restarted server signs tokens with a
 * new key, so a 401 drops the cached token and the next attempt fetches a fresh one.
 */
export function httpFleetSource(options: HttpSourceOptions): FleetSource {
  const baseUrl = options.url.replace(/\/+$/, '');
  const makeClient = () =>
    new LockstepClient({ baseUrl, ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  let client = makeClient();
  let stream: EventStreamHandle | null = null;
  let stopStats: (() => void) | null = null;

  const get = async <T>(role: Parameters<LockstepClient['request']>[0], path: string): Promise<T> => {
    const reply = await client.request<T>(role, 'GET', path);
    if (reply.status === 401) client = makeClient();
    if (reply.status !== 200) {
      const message = (reply.body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new TargetError(`GET ${path}: HTTP ${reply.status}${message ? `: ${message}` : ''}`);
    }
    return reply.body;
  };

  return {
    label: baseUrl,
    start(store) {
      stream = openEventStream({
        url: `${baseUrl}/sim/events`,
        headers: async () => ({ authorization: `Bearer ${await client.token('sim-controller')}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        onHttpError: (status) => {
          if (status === 401) client = makeClient();
        },
        onStatus: (status) => {
          if (status.state === 'connected') store.setConnection({ state: 'connected' });
          else if (status.state === 'connecting' && store.connection.state !== 'disconnected') store.setConnection({ state: 'connecting' });
          else if (status.state === 'disconnected') store.setConnection({ state: 'disconnected', retryAt: status.retryAt, reason: status.reason });
        },
        onEvent: (event) => {
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch {
            return;
          }
          if (event.event === 'device' || event.event === 'action') store.ingest(data as ChangeEvent);
          else if (event.event === 'hello') store.hello(data as { now?: string; devices?: number });
          else if (event.event === 'dropped') store.addDropped(Number((data as { dropped?: unknown }).dropped) || 0);
        },
      });
      stopStats = pollStats(store, () => get<StatsView>('sim-controller', '/sim/stats'), options.statsPollMs);
    },
    async device(id) {
      const enc = encodeURIComponent(id);
      // A role that may reset passcodes sees whether one was issued; actionView keeps only that fact.
      const [truth, device, audits] = await Promise.all([
        get<SimTruth & { id: string }>('sim-controller', `/sim/devices/${enc}`),
        get<Record<string, unknown>>('intune-administrator', `/beta/deviceManagement/managedDevices/${enc}`),
        get<{ value?: Array<Record<string, unknown>> }>(
          'intune-administrator',
          `/beta/deviceManagement/remoteActionAudits?$filter=${encodeURIComponent(`managedDeviceId eq '${id.replace(/'/g, "''")}'`)}&$top=${AUDITS_SHOWN}`,
        ),
      ]);
      const results = Array.isArray(device.deviceActionResults) ? (device.deviceActionResults as Array<Record<string, unknown>>) : [];
      return {
        id,
        deviceName: typeof device.deviceName === 'string' ? device.deviceName : null,
        operatingSystem: typeof device.operatingSystem === 'string' ? device.operatingSystem : null,
        osVersion: typeof device.osVersion === 'string' ? device.osVersion : null,
        truth,
        actions: results.map(actionView),
        audits: (audits.value ?? []).map(auditView),
      };
    },
    async close() {
      stream?.close();
      stopStats?.();
    },
  };
}
