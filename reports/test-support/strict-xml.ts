/**
 * A small, strict XML parser for the tests: enough of XML 1.0 to prove the JUnit
 * report is well formed (one root, balanced tags, quoted and unique attributes, only
 * the predefined and numeric entities, no raw `<` or `&` in text, no illegal
 * characters). It throws on anything else, rather than guessing as browsers do.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated, decoded text directly inside this element. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw '<' in text or attribute near offset ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated entity near offset ${where}`);
    const named = PREDEFINED[body];
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (!numeric) throw new Error(`unknown entity &${body}; near offset ${where}`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? '', 10);
    const ch = String.fromCodePoint(code);
    if (ILLEGAL.test(ch)) throw new Error(`character reference to an illegal character near offset ${where}`);
    return ch;
  });
}

export function parseStrictXml(xml: string): XmlElement {
  if (ILLEGAL.test(xml)) throw new Error('document contains characters illegal in XML 1.0');
  let pos = 0;
  const declaration = /^<\?xml\s[^?]*\?>\s*/.exec(xml);
  if (declaration) pos = declaration[0].length;

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? xml.length : lt;
    const text = xml.slice(pos, textEnd);
    const parent = stack[stack.length - 1];
    if (parent) parent.text += decode(text, pos);
    else if (text.trim() !== '') throw new Error(`text outside the root element at offset ${pos}`);
    if (lt === -1) break;
    pos = lt;

    if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos);
      if (end === -1) throw new Error(`unterminated comment at offset ${pos}`);
      pos = end + 3;
      continue;
    }
    if (xml.startsWith('</', pos)) {
      const match = /^<\/([A-Za-z_:][\w.:-]*)\s*>/.exec(xml.slice(pos));
      if (!match) throw new Error(`malformed end tag at offset ${pos}`);
      const open = stack.pop();
      if (!open || open.name !== match[1]) throw new Error(`end tag </${match[1]}> does not match <${open?.name ?? '(none)'}> at offset ${pos}`);
      pos += match[0].length;
      continue;
    }

    pos += 1;
    const name = NAME.exec(xml.slice(pos))?.[0];
    if (!name) throw new Error(`malformed start tag at offset ${pos}`);
    pos += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      const rest = xml.slice(pos);
      const close = /^\s*(\/?)>/.exec(rest);
      if (close) {
        pos += close[0].length;
        if (parent) parent.children.push(element);
        else if (root) throw new Error(`second root element <${name}>`);
        else root = element;
        if (close[1] !== '/') stack.push(element);
        break;
      }
      const attribute = /^\s+([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (!attribute || attribute[1] === undefined) throw new Error(`malformed or unquoted attribute in <${name}> at offset ${pos}`);
      if (attribute[1] in element.attributes) throw new Error(`duplicate attribute ${attribute[1]} in <${name}>`);
      element.attributes[attribute[1]] = decode(attribute[3] ?? attribute[4] ?? '', pos);
      pos += attribute[0].length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed element <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}
