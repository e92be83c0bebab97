import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { signAccessToken } from '../auth.js';
import type { createApp } from '../app.js';
import type { AuthConfig } from '../auth.js';

type App = ReturnType<typeof createApp>;

/** A forced full GC (exposes `gc` when the process was not started with --expose-gc). */
export function forceGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export function heapAfterGc(): number {
  forceGc();
  forceGc();
  return process.memoryUsage().heapUsed;
}

/**
 * Mixed load of the kind a soak runs, straight into the app (no sockets, so the figure is the
 * simulator's memory, not the kernel's): resets, locks and wipes on seeded-random devices, check-ins,
 * reads of devices and audits, and the clock moving an hour every 200 requests (temporary passcodes
 * and audits age out). Deterministic for a seed.
 */
export class SoakLoad {
  private state: number;
  private n = 0;
  private tokens: Record<'admin' | 'sim', string> | null = null;

  constructor(
    private readonly app: App,
    private readonly auth: AuthConfig,
    private readonly ids: readonly string[],
    seed = 1,
  ) {
    this.state = seed >>> 0 || 1;
  }

  private random(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  private async send(method: string, path: string, token: string, body?: string): Promise<number> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await this.app.fetch(new Request(`http://127.0.0.1${path}`, { method, headers, body: body ?? null }));
    await r.arrayBuffer();
    return r.status;
  }

  /** Runs `count` requests; returns how many answered 5xx (should be none). */
  async run(count: number): Promise<number> {
    this.tokens ??= {
      admin: await signAccessToken(this.auth, { clientId: 'soak', role: 'intune-administrator' }),
      sim: await signAccessToken(this.auth, { clientId: 'soak-sim', role: 'sim-controller' }),
    };
    const { admin, sim } = this.tokens;
    let errors = 0;
    for (let i = 0; i < count; i++) {
      this.n++;
      const id = this.ids[Math.floor(this.random() * this.ids.length)]!;
      const roll = this.random();
      let status: number;
      if (this.n % 200 === 0) status = await this.send('POST', '/sim/clock', sim, '{"advance":"PT1H"}');
      else if (roll < 0.45) status = await this.send('POST', `/beta/deviceManagement/managedDevices/${id}/resetPasscode`, admin);
      else if (roll < 0.65) status = await this.send('POST', `/beta/deviceManagement/managedDevices/${id}/remoteLock`, admin);
      else if (roll < 0.85) status = await this.send('POST', `/sim/devices/${id}/events`, sim, '{"type":"checkIn"}');
      else if (roll < 0.95) status = await this.send('GET', `/beta/deviceManagement/managedDevices/${id}`, admin);
      else status = await this.send('GET', '/beta/deviceManagement/remoteActionAudits?$top=50', admin);
      if (status >= 500) errors++;
    }
    return errors;
  }
}
