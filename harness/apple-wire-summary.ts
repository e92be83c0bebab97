/**
 * One line saying what went over the Apple MDM protocol during a run against the reference:
 * its Apple devices enrolled over the wire and answered each Graph action as a command there.
 */
import type { LockstepClient } from './client.js';

interface AppleMdmStats {
  enrolled: number;
  commands: Record<string, Record<string, number>>;
}

export function appleWireLine(stats: AppleMdmStats): string {
  const sent = Object.entries(stats.commands)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, answers]) => `${type} ${Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)).map(([answer, n]) => `${n} ${answer}`).join(', ')}`);
  const total = Object.values(stats.commands).reduce((sum, answers) => sum + Object.values(answers).reduce((a, b) => a + b, 0), 0);
  return `Apple MDM protocol: ${stats.enrolled} devices enrolled, ${total} commands over the wire${sent.length ? ` (${sent.join('; ')})` : ''}`;
}

/** The line for a target whose /sim/stats has an `appleMdm` block; null when it has none or cannot say. */
export async function appleWireSummary(client: LockstepClient): Promise<string | null> {
  try {
    const reply = await client.request<{ appleMdm?: AppleMdmStats }>('sim-controller', 'GET', '/sim/stats');
    return reply.status === 200 && reply.body.appleMdm ? appleWireLine(reply.body.appleMdm) : null;
  } catch {
    return null;
  }
}
