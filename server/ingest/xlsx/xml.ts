/**
 * A tokenizer for the subset of XML that SpreadsheetML parts use, fed decoded text in chunks of any
 * size: tags, their attributes (read on demand), text, comments, CDATA and processing instructions.
 * A tag or text cut by a chunk boundary is carried into the next chunk. Only the five predefined and
 * numeric character references are expanded; a document type declaration is refused, so no external
 * or recursive entity can be defined.
 */

export interface XmlHandler {
  /** A start tag (`selfClosing` for `<x/>`); its attributes are `buf[attrStart, tagEnd)`. */
  open(name: string, buf: string, attrStart: number, tagEnd: number, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text between tags (references not yet expanded); called only while `wantText` is true. */
  text(raw: string): void;
  wantText: boolean;
  /** Set by the handler to stop reading the part. */
  done: boolean;
}

export class XmlError extends Error {}

const SLASH = 47,
  BANG = 33,
  QUESTION = 63,
  COLON = 58;

function isNameEnd(c: number): boolean {
  return c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13;
}

/** The local name (namespace prefix dropped). */
function localName(buf: string, from: number, to: number): string {
  for (let i = from; i < to; i++) if (buf.charCodeAt(i) === COLON) return buf.slice(i + 1, to);
  return buf.slice(from, to);
}

/** Tokenizes `buf` from the start; returns where the unconsumed (incomplete) rest begins. */
function scan(buf: string, h: XmlHandler): number {
  let pos = 0;
  const n = buf.length;
  for (;;) {
    const lt = buf.indexOf('<', pos);
    if (lt < 0 || lt + 1 >= n) return pos;
    const c1 = buf.charCodeAt(lt + 1);
    if (c1 === BANG) {
      if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt + 4);
        if (end < 0) return pos;
        if (lt > pos && h.wantText) h.text(buf.slice(pos, lt));
        pos = end + 3;
        continue;
      }
      if (buf.startsWith('<![CDATA[', lt)) {
        const end = buf.indexOf(']]>', lt + 9);
        if (end < 0) return pos;
        if (h.wantText) {
          if (lt > pos) h.text(buf.slice(pos, lt));
          h.text(buf.slice(lt + 9, end).replace(/&/g, '&amp;'));
        }
        pos = end + 3;
        continue;
      }
      if (lt + 9 > n) return pos;
      throw new XmlError('DOCTYPE');
    }
    if (c1 === QUESTION) {
      const end = buf.indexOf('?>', lt + 2);
      if (end < 0) return pos;
      pos = end + 2;
      continue;
    }
    const gt = buf.indexOf('>', lt + 1);
    if (gt < 0) return pos;
    if (lt > pos && h.wantText) h.text(buf.slice(pos, lt));
    if (c1 === SLASH) {
      let e = gt;
      while (e > lt + 2 && isNameEnd(buf.charCodeAt(e - 1))) e--;
      h.close(localName(buf, lt + 2, e));
    } else {
      let e = lt + 1;
      while (e < gt && !isNameEnd(buf.charCodeAt(e))) e++;
      const selfClosing = buf.charCodeAt(gt - 1) === SLASH;
      const name = localName(buf, lt + 1, e);
      h.open(name, buf, e, selfClosing ? gt - 1 : gt, selfClosing);
      if (selfClosing) h.close(name);
    }
    pos = gt + 1;
    if (h.done) return pos;
  }
}

export async function scanXml(chunks: AsyncIterable<string>, h: XmlHandler): Promise<void> {
  let carry = '';
  for await (const chunk of chunks) {
    const buf = carry ? carry + chunk : chunk;
    const pos = scan(buf, h);
    if (h.done) return;
    carry = pos === 0 ? buf : pos < buf.length ? buf.slice(pos) : '';
    // a single tag or text run this long is not SpreadsheetML
    if (carry.length > 32 * 1024 * 1024) throw new XmlError('token too long');
  }
}

export function scanXmlString(s: string, h: XmlHandler): void {
  scan(s, h);
}

/** The value of attribute `name` in `buf[from, to)`, references expanded; undefined when absent. */
export function attr(buf: string, from: number, to: number, name: string): string | undefined {
  let i = from;
  while (i < to) {
    while (i < to && buf.charCodeAt(i) <= 32) i++;
    const eq = buf.indexOf('=', i);
    if (eq < 0 || eq >= to) return undefined;
    let ne = eq;
    while (ne > i && buf.charCodeAt(ne - 1) <= 32) ne--;
    let q = eq + 1;
    while (q < to && buf.charCodeAt(q) <= 32) q++;
    const quote = buf.charCodeAt(q);
    if (quote !== 34 && quote !== 39) return undefined;
    const end = buf.indexOf(quote === 34 ? '"' : "'", q + 1);
    if (end < 0 || end > to) return undefined;
    let ns = i;
    if (!name.includes(':')) for (let k = i; k < ne; k++) if (buf.charCodeAt(k) === COLON) ns = k + 1;
    if (ne - ns === name.length && buf.startsWith(name, ns)) return decodeXml(buf.slice(q + 1, end));
    i = end + 1;
  }
  return undefined;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Expands the predefined and numeric character references; anything else is left as written. */
export function decodeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, ref: string) => {
    if (ref.charCodeAt(0) !== 35) return NAMED[ref];
    const code = ref.charCodeAt(1) === 120 ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}
