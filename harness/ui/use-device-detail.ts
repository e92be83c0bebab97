import { useEffect, useRef, useState } from 'react';
import type { DetailState } from './device-panel.js';
import type { FleetSource } from './fleet-source.js';

/**
 * Loads a device's detail from the fleet source while `id` is set, and again every
 * `refreshMs` (0: never); answers that arrive after the user moved on are dropped.
 * Returns the detail and a function that loads it again now.
 */
export function useDeviceDetail(source: Pick<FleetSource, 'device'>, id: string | null, refreshMs: number): [DetailState | null, () => void] {
  const [detail, setDetail] = useState<DetailState | null>(null);
  const current = useRef<string | null>(id);
  current.current = id;
  const load = (target: string) => {
    source.device(target).then(
      (d) => {
        if (current.current === target) setDetail({ id: target, state: 'ok', detail: d });
      },
      (error: unknown) => {
        if (current.current === target) setDetail({ id: target, state: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
  };
  useEffect(() => {
    if (!id) {
      setDetail(null);
      return;
    }
    setDetail({ id, state: 'loading' });
    load(id);
    if (refreshMs <= 0) return;
    const timer = setInterval(() => load(id), refreshMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, refreshMs]);
  return [id && detail?.id === id ? detail : id ? { id, state: 'loading' } : null, () => id && load(id)];
}
