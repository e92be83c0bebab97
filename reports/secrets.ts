import { escapeHtml, escapeXml } from './escape.js';

/**
 * Which of the given secrets (passcodes, PINs, tokens) appear in a report's text.
 * Each secret is also looked for in the escaped forms the writers produce, so a
 * passcode like `a&b` cannot hide in a report as `a&amp;b`. Empty strings are ignored:
 * they "appear" everywhere. Short secrets can match by coincidence, so tests should
 * use distinctive ones.
 */
export function findSecretLike(text: string, secrets: string[]): string[] {
  const found = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const forms = new Set([secret, escapeXml(secret), escapeHtml(secret), JSON.stringify(secret).slice(1, -1)]);
    if ([...forms].some((form) => form.length > 0 && text.includes(form))) found.add(secret);
  }
  return [...found];
}
