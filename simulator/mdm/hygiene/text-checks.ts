/**
 * Text a client may put in names and filters. Control characters, bidirectional overrides and
 * isolates, and lone UTF-16 surrogates are refused: they can spoof what an admin or the watch
 * view shows (U+202E turns "gpj.exe" around) or break JSON consumers that expect valid UTF-16.
 */

/** Why `text` is not acceptable as a name or filter value, or null when it is. */
export function unsafeTextProblem(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `contains the control character U+${hex(code)}`;
    if (isBidiControl(code)) return `contains the bidirectional control character U+${hex(code)}`;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `contains a lone surrogate U+${hex(code)}`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `contains a lone surrogate U+${hex(code)}`;
  }
  return null;
}

/** U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: the characters that reorder displayed text. */
function isBidiControl(code: number): boolean {
  return code === 0x061c || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

const hex = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/** The longest move of the simulated clock one request may ask for: 400 days covers a year of scenarios and every 7-day window. */
export const MAX_CLOCK_ADVANCE_MS = 400 * 24 * 3600_000;
export const MAX_CLOCK_ADVANCE_TEXT = 'P400D';
