/**
 * `serve --throttle N/Ws|intune`, parsed here so the flag module loads none of the server.
 * 'intune' is Intune's published limit: 1000 requests per 20 seconds per app and tenant.
 */
import type { ThrottleSpec } from '../simulator/mdm/throttle/throttle.js';

export const INTUNE_LIMIT: ThrottleSpec = { requests: 1000, windowSeconds: 20 };

const SPEC = /^(\d{1,7})\/(\d{1,5})s$/;

/** `intune` or `N/Ws` (N requests per W seconds); null when the text is neither. */
export function parseThrottleSpec(text: string): ThrottleSpec | null {
  if (text === 'intune') return INTUNE_LIMIT;
  const match = SPEC.exec(text);
  if (!match) return null;
  const requests = Number(match[1]);
  const windowSeconds = Number(match[2]);
  return requests >= 1 && windowSeconds >= 1 ? { requests, windowSeconds } : null;
}
