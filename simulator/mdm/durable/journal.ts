import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The write-ahead request journal of `lockstep serve --data-dir DIR`, in SQLite (WAL mode).
 *
 * The mock MDM is deterministic: its state is a function of the seed, the start-up fleet, the
 * sequence of state-changing requests and the simulated instant each arrived at. So the journal
 * keeps exactly that, one row per request, committed before the answer is sent (one transaction
 * per request; WAL with synchronous=NORMAL survives `kill -9` of the process: a commit is in the
 * OS before the 2xx leaves). A restart enrolls the same start-up fleet and replays the rows in
 * order, each at its own simulated instant, which rebuilds devices, actions, audits (same ids,
 * same temporary passcodes) and the clock.
 */
export interface JournalEntry {
  /** Simulated instant (ms) the request was applied at. */
  at: number;
  /** HTTP method, or `FLEET_SLICE` for one slice of a fleet being enrolled. */
  method: string;
  /** Path with query, or the fleet slice's JSON for FLEET_SLICE. */
  path: string;
  body: string | null;
  clientId: string | null;
  role: string | null;
  /** Request headers the app reads besides the token: an Apple device's content type and Mdm-Signature. */
  headers?: Record<string, string> | null;
}

export class MetaMismatch extends Error {}

export class Journal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly putMeta: Database.Statement;
  readonly file: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'lockstep.sqlite');
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS requests (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT,
        client_id TEXT,
        role TEXT,
        headers TEXT
      );`);
    // Data directories from before the headers column.
    const columns = this.db.prepare('PRAGMA table_info(requests)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'headers')) this.db.exec('ALTER TABLE requests ADD COLUMN headers TEXT');
    this.insert = this.db.prepare('INSERT INTO requests (at, method, path, body, client_id, role, headers) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.putMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  /** Records the start-up settings on first use; later starts must match them. */
  checkSettings(settings: Record<string, string>): void {
    const stored = this.meta('settings');
    const text = JSON.stringify(settings);
    if (stored === null) {
      this.putMeta.run('settings', text);
      return;
    }
    if (stored !== text) {
      const was = JSON.parse(stored) as Record<string, string>;
      const diff = Object.keys({ ...was, ...settings }).filter((k) => was[k] !== settings[k]);
      throw new MetaMismatch(`the data directory was created with other settings (${diff.map((k) => `${k}: ${was[k] ?? 'unset'} then, ${settings[k] ?? 'unset'} now`).join('; ')})`);
    }
  }

  meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Appends one entry (its own transaction: durable when this returns). */
  append(entry: JournalEntry): void {
    this.insert.run(entry.at, entry.method, entry.path, entry.body, entry.clientId, entry.role, entry.headers ? JSON.stringify(entry.headers) : null);
  }

  /** The simulated clock between requests (real-time mode moves it without any). */
  saveClock(ms: number): void {
    this.putMeta.run('clock', String(ms));
  }

  savedClock(): number | null {
    const text = this.meta('clock');
    return text === null ? null : Number(text);
  }

  get length(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
  }

  *entries(): Generator<JournalEntry> {
    const rows = this.db.prepare('SELECT at, method, path, body, client_id AS clientId, role, headers FROM requests ORDER BY n').iterate() as IterableIterator<Omit<JournalEntry, 'headers'> & { headers: string | null }>;
    for (const row of rows) yield { ...row, headers: row.headers === null ? null : (JSON.parse(row.headers) as Record<string, string>) };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
