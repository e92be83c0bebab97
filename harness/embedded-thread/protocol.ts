/** Messages between the run (main thread) and the embedded reference MDM in its worker thread. */

export interface ThreadInit {
  seed: number;
  recordCoverage: boolean;
  /** The key of the reference's Apple admin API (the run's Apple facet uses it). */
  appleApiKey: string;
}

export type ToThread =
  | { type: 'request'; id: number; method: string; url: string; headers: [string, string][]; body: string | null }
  | { type: 'stop' };

export type FromThread =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | {
      type: 'response';
      id: number;
      status: number;
      headers: [string, string][];
      body: string;
      /** Machine transitions taken for the first time since the last response: [variant, transition id]. */
      taken?: [string, string][];
    };
