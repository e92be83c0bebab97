/**
 * Escaping for the three text formats the reports emit. Scenario titles, findings and
 * observations can come from a vendor's server, so none of them is trusted.
 */

// XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// With the `u` flag a surrogate range matches only lone surrogates; paired ones are one code point.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

export function stripIllegalXmlChars(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text content or attribute value for XML: the five entities, illegal characters dropped. */
export function escapeXml(text: string): string {
  return stripIllegalXmlChars(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Like escapeXml, but keeps tabs and line breaks: a parser would otherwise normalise them to spaces in attributes. */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Text or attribute value for HTML. `&#39;` rather than `&apos;`, which HTML 4 readers do not know. */
export function escapeHtml(text: string): string {
  return stripIllegalXmlChars(text).replace(/[&<>"']/g, (ch) => (ch === "'" ? '&#39;' : (ENTITIES[ch] ?? ch)));
}

/**
 * Inline Markdown text, safe inside a table cell: HTML is shown literally (GitHub would
 * otherwise render or drop it), emphasis and link characters lose their meaning, a `|`
 * cannot end the cell, and a line break cannot end the row.
 */
export function escapeMarkdown(text: string): string {
  return stripIllegalXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|]/g, (ch) => `\\${ch}`)
    .replace(/\r?\n|\r/g, ' ');
}
