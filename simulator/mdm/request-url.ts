/** The scheme and authority of an absolute URL (`https://host:port`), or '' when it has none. */
export function originOf(url: string): string {
  return /^[a-z]+:\/\/[^/?#]+/i.exec(url)?.[0] ?? '';
}
