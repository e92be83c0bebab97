/** The few DER encodings the device identities need on their hot path (a tag, a length, the bytes). */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const header = length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : length < 0x10000 ? [tag, 0x82, length >> 8, length & 0xff] : [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const SEQUENCE = 0x30;
export const SET = 0x31;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OID = 0x06;
export const CONTEXT_0 = 0xa0;

/** The element at `offset`: where its content starts and ends. */
export function element(der: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[offset + 2 + i]!;
    start += n;
  }
  return { tag, start, end: start + length };
}

/** The child elements of a constructed element's content. */
export function children(der: Uint8Array, start: number, end: number): Array<{ tag: number; from: number; start: number; end: number }> {
  const out = [];
  for (let at = start; at < end; ) {
    const e = element(der, at);
    out.push({ ...e, from: at });
    at = e.end;
  }
  return out;
}
