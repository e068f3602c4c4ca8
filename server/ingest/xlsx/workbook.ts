/**
 * An .xlsx read part by part in the order the meaning needs, whatever order the producer stored them
 * in: xl/workbook.xml and its relationships first (sheet names, order, targets, the 1904 date system),
 * then styles (which cell styles are dates) and shared strings, then each worksheet as a stream of rows.
 * Cell values are the ones the sheet parsers have always received (see cell-value.ts):
 *   shared / inline / formula strings → string (rich-text runs joined, phonetic runs left out);
 *   numbers → number, or Date when the cell's number format is a date format; booleans → boolean;
 *   a formula → its cached value (none cached → null); errors → null.
 *
 * Two row readers, one answer. A worksheet is read by a fast path (readSheetRows' rowContent) that knows
 * the shape every producer writes — `<row r="n"><c r="A1" s="3" t="s"><v>12</v></c>…</row>`, no prefix,
 * one-letter attributes one space apart — and reads a row without tokenizing it. A roster is mostly such
 * cells, and this path is what keeps a 100,000-row roster near twice the bare cost of inflating it
 * (docs/performance.md, "Reader"). Anything it does not know (a comment, rich or phonetic inline text, an
 * unknown child, a prefixed worksheet) throws GENERAL, and that row goes through the general tokenizer
 * (genericSheetHandler over xml.ts), which reads any well-formed SpreadsheetML and gives the same cells.
 * test/ingest/reader-differential.test.ts holds the two to identical rows over the suites' workbooks and
 * generated odd shapes.
 *
 * To add a cell type (a new `t="…"`, or a new child of <c>):
 *   1. give its value in cellValue() — both readers end there (the fast path decides alone only a
 *      shared-string index or a whole number), so the value is decided once;
 *   2. make genericSheetHandler collect its raw text if it comes in a child the handler does not read yet;
 *   3. in the fast path, read it only if it is common and plain; otherwise leave it to `throw GENERAL`,
 *      which is always correct (only slower);
 *   4. add the shape to the generated workbooks of reader-differential.test.ts, and a case to the
 *      sheet parsers' tests if the sheet parsers must take a new kind of Cell (fields/result.ts).
 */
import type { Cell } from '../fields/result';
import { attr, decodeXml, scanXml, scanXmlString, XmlError, type XmlHandler } from './xml';
import { ZipFile, ZipRefusal } from './zip';

export interface SheetInfo {
  name: string;
  /** The worksheet part, e.g. xl/worksheets/sheet1.xml; absent for a sheet with no readable part. */
  part?: string;
  state: 'visible' | 'hidden' | 'veryHidden';
}

export interface WorkbookInfo {
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStrings: (string | null)[];
  /** Per cell style index: is its number format a date format. */
  dateStyle: boolean[];
}

/** Calls back for each start tag of a small part, with attribute access. */
function eachTag(
  xml: string,
  fn: (name: string, get: (a: string) => string | undefined) => void,
  onClose?: (name: string) => void,
): void {
  const h: XmlHandler = {
    wantText: false,
    done: false,
    open(name, buf, from, to) {
      fn(name, (a) => attr(buf, from, to, a));
    },
    close(name) {
      onClose?.(name);
    },
    text() {},
  };
  scanXmlString(xml, h);
}

/** Resolves a relationship target against the folder of the part that holds the relationships. */
function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').filter(Boolean);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

function relsPath(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

const folderOf = (part: string) => part.slice(0, part.lastIndexOf('/') + 1);

async function rels(zip: ZipFile, part: string): Promise<Map<string, { type: string; target: string }>> {
  const out = new Map<string, { type: string; target: string }>();
  eachTag(await zip.readText(relsPath(part)), (name, get) => {
    const id = get('Id'),
      target = get('Target');
    if (name === 'Relationship' && id && target && get('TargetMode') !== 'External')
      out.set(id, { type: get('Type') ?? '', target: resolveTarget(folderOf(part), target) });
  });
  return out;
}

/** Date format codes, the way the sheet reader has always judged them: y, m, d, h, s or b outside quotes and brackets. */
function isDateFormat(code: string | undefined): boolean {
  if (!code) return false;
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Built-in number formats that are dates (ids 14–22 and 45–47 in every locale). */
const BUILTIN_DATE = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

async function readStyles(zip: ZipFile, part: string | undefined): Promise<boolean[]> {
  if (!part) return [];
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  eachTag(
    await zip.readText(part),
    (name, get) => {
      if (name === 'numFmt') custom.set(Number(get('numFmtId')), get('formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfs.push(parseInt(get('numFmtId') ?? '0', 10) || 0);
    },
    (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  );
  return xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)) : BUILTIN_DATE.has(id)));
}

/** No row or shared string of a real workbook comes near this many characters. */
const MAX_TOKEN = 32 * 1024 * 1024;

const isNameEnd = (c: number) => c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13;

/** Shared strings, streamed: each <si>'s text runs joined, phonetic guides (<rPh>) left out. */
async function readSharedStrings(zip: ZipFile, part: string | undefined): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  const e = part ? zip.get(part) : undefined;
  if (!e) return out;
  let text: string | null = null;
  let inSi = false,
    inPhonetic = false;
  const h: XmlHandler = {
    wantText: false,
    done: false,
    open(name) {
      if (name === 'si') {
        inSi = true;
        text = null;
      } else if (name === 't' && inSi && !inPhonetic) h.wantText = true;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name) {
      if (name === 't') h.wantText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') {
        out.push(text === null || text === '' ? null : decodeXml(text));
        inSi = false;
      }
    },
    text(raw) {
      text = text === null ? raw : text + raw;
    },
  };
  const chunks = zip.text(e)[Symbol.asyncIterator]();
  try {
    return await sharedStringItems(chunks, h, out);
  } finally {
    await chunks.return?.(undefined);
  }
}

/** Fast path per <si>: a single plain <t>; anything else (runs, phonetic guides, prefixes) the general way. */
async function sharedStringItems(
  chunks: AsyncIterator<string>,
  h: XmlHandler,
  out: (string | null)[],
): Promise<(string | null)[]> {
  let buf = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      scanXmlString(buf, h);
      return out;
    }
    buf += next.value;
    const root = buf.indexOf('sst');
    if (root > 0 && buf.indexOf('>', root) > 0) {
      if (buf.charCodeAt(root - 1) !== 60 /* < */) {
        await scanXml(
          (async function* () {
            yield buf;
            for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
          })(),
          h,
        );
        return out;
      }
      break;
    }
  }
  let pos = 0;
  for (;;) {
    for (;;) {
      const si = buf.indexOf('<si', pos);
      if (si < 0) {
        pos = Math.max(pos, buf.length - 3);
        break;
      }
      const end = buf.indexOf('</si>', si);
      if (end < 0) {
        pos = si;
        break;
      }
      const gt = buf.indexOf('>', si);
      const c = buf.charCodeAt(si + 3);
      if (
        c === 62 /* > */ &&
        buf.charCodeAt(gt + 1) === 60 &&
        buf.charCodeAt(gt + 2) === 116 /* <t */ &&
        isNameEnd(buf.charCodeAt(gt + 3))
      ) {
        const tgt = buf.indexOf('>', gt + 1);
        if (buf.charCodeAt(tgt - 1) === 47 /* <t/> */ && tgt + 1 === end) {
          out.push(null);
          pos = end + 5;
          continue;
        }
        const tend = buf.indexOf('</t>', tgt);
        if (tend + 4 === end) {
          out.push(tend === tgt + 1 ? null : decodeXml(buf.slice(tgt + 1, tend)));
          pos = end + 5;
          continue;
        }
      }
      scanXmlString(buf.slice(si, end + 5), h);
      pos = end + 5;
    }
    const next = await chunks.next();
    if (next.done) return out;
    buf = buf.slice(pos) + next.value;
    pos = 0;
    if (buf.length > MAX_TOKEN) throw new XmlError('shared string too long');
  }
}

const WORKSHEET = /\/relationships\/worksheet$/;

export async function readWorkbookInfo(zip: ZipFile): Promise<WorkbookInfo> {
  const root = await rels(zip, '');
  const officeDoc = [...root.values()].find((r) => /\/officeDocument$/.test(r.type))?.target ?? 'xl/workbook.xml';
  const book = zip.get(officeDoc) ? officeDoc : 'xl/workbook.xml';
  if (!zip.get(book)) throw new ZipRefusal('file/not-xlsx');
  const bookRels = await rels(zip, book);
  const sheets: SheetInfo[] = [];
  let date1904 = false;
  eachTag(await zip.readText(book), (name, get) => {
    if (name === 'workbookPr') date1904 = ['1', 'true'].includes(get('date1904') ?? '');
    else if (name === 'sheet') {
      const rel = bookRels.get(get('r:id') ?? get('id') ?? '');
      const state = get('state');
      sheets.push({
        name: get('name') ?? `Sheet${sheets.length + 1}`,
        part: rel && WORKSHEET.test(rel.type) && zip.get(rel.target) ? rel.target : undefined,
        state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      });
    }
  });
  const byType = (re: RegExp) => [...bookRels.values()].find((r) => re.test(r.type) && zip.get(r.target))?.target;
  const dateStyle = await readStyles(
    zip,
    byType(/\/styles$/) ?? (zip.get('xl/styles.xml') ? 'xl/styles.xml' : undefined),
  );
  const sharedStrings = await readSharedStrings(zip, byType(/\/sharedStrings$/) ?? 'xl/sharedStrings.xml');
  return { sheets, date1904, sharedStrings, dateStyle };
}

const cell = { col: 0, style: 0, type: undefined as string | undefined };

/**
 * r, s and t of a <c> tag in one pass (every cell has them; the general attr() would scan three times):
 * the column from r's letters, s as an integer, t as written.
 */
function cellAttributes(buf: string, from: number, to: number, out: typeof cell): void {
  out.col = 0;
  out.style = 0;
  out.type = undefined;
  let i = from;
  while (i < to) {
    while (i < to && buf.charCodeAt(i) <= 32) i++;
    const eq = buf.indexOf('=', i);
    if (i >= to || eq < 0 || eq >= to) return;
    let q = eq + 1;
    while (q < to && buf.charCodeAt(q) <= 32) q++;
    const quote = buf.charCodeAt(q);
    const end = buf.indexOf(quote === 39 ? "'" : '"', q + 1);
    if (end < 0 || end > to) return;
    let ne = eq;
    while (ne > i && buf.charCodeAt(ne - 1) <= 32) ne--;
    if (ne - i === 1) {
      const name = buf.charCodeAt(i);
      if (name === 114 /* r */) {
        let c = 0;
        for (let k = q + 1; k < end; k++) {
          const ch = buf.charCodeAt(k);
          if (ch >= 65 && ch <= 90) c = c * 26 + (ch - 64);
          else if (ch >= 97 && ch <= 122) c = c * 26 + (ch - 96);
          else break;
        }
        out.col = c;
      } else if (name === 115 /* s */) {
        let n = 0;
        for (let k = q + 1; k < end; k++) {
          const ch = buf.charCodeAt(k) - 48;
          if (ch < 0 || ch > 9) {
            n = 0;
            break;
          }
          n = n * 10 + ch;
        }
        out.style = n;
      } else if (name === 116 /* t */) out.type = buf.slice(q + 1, end);
    }
    i = end + 1;
  }
}

/**
 * The same as cellAttributes for a tag written the plain way every producer writes it (each attribute
 * one space, a one-letter name, `="`, the value, `"`), in a single pass; false for any other way of
 * writing it, which cellAttributes then reads.
 */
function plainCellAttributes(buf: string, from: number, to: number, out: typeof cell): boolean {
  out.col = 0;
  out.style = 0;
  out.type = undefined;
  let i = from;
  while (i < to) {
    if (buf.charCodeAt(i) !== 32 || buf.charCodeAt(i + 2) !== 61 /* = */ || buf.charCodeAt(i + 3) !== 34 /* " */)
      return false;
    const name = buf.charCodeAt(i + 1);
    let k = i + 4;
    if (name === 114 /* r */) {
      let c = 0,
        letters = true;
      for (; k < to; k++) {
        const ch = buf.charCodeAt(k);
        if (ch === 34) break;
        if (!letters) continue;
        if (ch >= 65 && ch <= 90) c = c * 26 + (ch - 64);
        else if (ch >= 97 && ch <= 122) c = c * 26 + (ch - 96);
        else letters = false;
      }
      out.col = c;
    } else if (name === 115 /* s */) {
      let n = 0,
        digits = true;
      for (; k < to; k++) {
        const ch = buf.charCodeAt(k);
        if (ch === 34) break;
        if (ch < 48 || ch > 57) digits = false;
        else n = n * 10 + (ch - 48);
      }
      out.style = digits ? n : 0;
    } else {
      while (k < to && buf.charCodeAt(k) !== 34) k++;
      if (name === 116 /* t */) out.type = buf.slice(i + 4, k);
    }
    if (k >= to) return false;
    i = k + 1;
  }
  return true;
}

const MS_PER_DAY = 86_400_000;

/** A serial date to a Date at UTC (the 1904 system is 1,462 days later). */
function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * MS_PER_DAY));
}

type RowSink = (cells: Cell[], row: number) => boolean | void;

/** The general tokenizer's view of a worksheet: any namespace prefix, comments, rich inline text. */
function genericSheetHandler(
  book: WorkbookInfo,
  onRow: RowSink,
  state: { rowNo: number },
): XmlHandler & { inData: boolean } {
  const { sharedStrings, dateStyle, date1904 } = book;
  let cells: Cell[] = [];
  let inRow = false;
  // current cell
  let col = 0,
    style = 0,
    type: string | undefined,
    hasFormula = false,
    value: string | null = null;
  let inInline = false,
    inPhonetic = false;
  const h: XmlHandler & { inData: boolean } = {
    wantText: false,
    done: false,
    inData: false,
    open(name, buf, from, to) {
      switch (name) {
        case 'sheetData':
          h.inData = true;
          break;
        case 'row':
          if (!h.inData) break;
          inRow = true;
          state.rowNo = parseInt(attr(buf, from, to, 'r') ?? '', 10) || state.rowNo + 1;
          cells = [];
          col = 0;
          break;
        case 'c': {
          if (!inRow) break;
          cellAttributes(buf, from, to, cell);
          col = cell.col || col + 1;
          style = cell.style;
          type = cell.type;
          hasFormula = false;
          value = null;
          break;
        }
        case 'v':
          if (inRow) {
            value = '';
            h.wantText = true;
          }
          break;
        case 'f':
          hasFormula = true;
          break;
        case 'is':
          inInline = true;
          value = '';
          break;
        case 't':
          if (inInline && !inPhonetic) h.wantText = true;
          break;
        case 'rPh':
          inPhonetic = true;
          break;
      }
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          h.wantText = false;
          break;
        case 'is':
          inInline = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'c':
          if (inRow && value !== null) {
            const v = cellValue(value, type, hasFormula, dateStyle[style] === true, date1904, sharedStrings);
            if (v !== null) cells[col] = v;
          }
          value = null;
          break;
        case 'row':
          if (!inRow) break;
          inRow = false;
          for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
          if (onRow(cells, state.rowNo) === false) h.done = true;
          break;
        case 'sheetData':
          h.inData = false;
          h.done = true;
          break;
      }
    },
    text(raw) {
      value += raw;
    },
  };
  return h;
}

const STOP = Symbol('stop');

/** The non-negative integer written in buf[from, to) with digits only (at most 15), or -1. */
function digitsAt(buf: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
/** The row number of a <row> tag whose first attribute is r="digits" (as producers write it), else -1. */
function plainRowNumber(buf: string, from: number, to: number): number {
  if (
    buf.charCodeAt(from) !== 32 ||
    buf.charCodeAt(from + 1) !== 114 /* r */ ||
    buf.charCodeAt(from + 2) !== 61 /* = */ ||
    buf.charCodeAt(from + 3) !== 34 /* " */
  )
    return -1;
  let n = 0,
    k = from + 4;
  for (; k < to && k - from - 4 < 15; k++) {
    const d = buf.charCodeAt(k) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return k > from + 4 && k < to && buf.charCodeAt(k) === 34 ? n : -1;
}

/** Thrown inside the fast row reader when a row needs the general tokenizer. */
const GENERAL = Symbol('general');

/**
 * Each row of a worksheet as cells (cells[1] = column A); `onRow` returns false to stop reading.
 * Rows are read by a fast path that knows the shape SpreadsheetML rows have (<row><c><f/><v/></c>…);
 * a row with anything else in it (comments, rich inline text, unknown children) and a worksheet with
 * prefixed element names go through the general tokenizer, which gives the same cells.
 */
export async function readSheetRows(zip: ZipFile, part: string, book: WorkbookInfo, onRow: RowSink): Promise<void> {
  const e = zip.get(part);
  if (!e) return;
  const state = { rowNo: 0 };
  const h = genericSheetHandler(book, onRow, state);
  const chunks = zip.text(e)[Symbol.asyncIterator]();
  // up to and including <sheetData>: small; a prefixed worksheet is read by the general tokenizer throughout
  let buf = '';
  let pos = -1;
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      scanXmlString(buf, h);
      return;
    }
    buf += next.value;
    const sd = buf.indexOf('sheetData');
    if (sd < 0) continue;
    const gt = buf.indexOf('>', sd);
    if (gt < 0) continue;
    if (buf.charCodeAt(sd - 1) !== 60 /* < */ || buf.charCodeAt(gt - 1) === 47 /* <sheetData/> */) {
      await scanXml(
        (async function* () {
          yield buf;
          for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
        })(),
        h,
      );
      return;
    }
    pos = gt + 1;
    break;
  }
  h.inData = true;
  const { sharedStrings: sst, dateStyle, date1904 } = book;
  let rowCells: Cell[] = [];

  /** Cells of the row whose content is buf[from, to); throws GENERAL for what the fast path does not know. */
  const rowContent = (from: number, to: number): Cell[] => {
    const cells: Cell[] = [];
    let col = 0,
      p = from;
    for (;;) {
      const cs = buf.indexOf('<', p);
      if (cs < 0 || cs >= to) break;
      if (buf.charCodeAt(cs + 1) !== 99 /* c */ || !isNameEnd(buf.charCodeAt(cs + 2))) throw GENERAL;
      const ce = buf.indexOf('>', cs);
      const selfClosing = buf.charCodeAt(ce - 1) === 47;
      const attrEnd = selfClosing ? ce - 1 : ce;
      if (!plainCellAttributes(buf, cs + 2, attrEnd, cell)) cellAttributes(buf, cs + 2, attrEnd, cell);
      col = cell.col || col + 1;
      if (selfClosing) {
        p = ce + 1;
        continue;
      }
      // the commonest cell, <c …><v>digits</v></c> (a shared-string index or a whole number), read in one pass
      const type = cell.type;
      if (
        (type === 's' || type === undefined || type === 'n') &&
        buf.charCodeAt(ce + 1) === 60 /* < */ &&
        buf.charCodeAt(ce + 2) === 118 /* v */ &&
        buf.charCodeAt(ce + 3) === 62 /* > */
      ) {
        const from = ce + 4;
        let k = from,
          n = 0;
        for (; k - from < 15; k++) {
          const d = buf.charCodeAt(k) - 48;
          if (d < 0 || d > 9) break;
          n = n * 10 + d;
        }
        if (k > from && k + 8 <= to && buf.startsWith('</v></c>', k)) {
          const v = type === 's' ? (sst[n] ?? null) : dateStyle[cell.style] === true ? serialToDate(n, date1904) : n;
          if (v !== null) cells[col] = v;
          p = k + 8;
          continue;
        }
      }
      const cend = buf.indexOf('</c>', ce);
      if (cend < 0 || cend > to) throw GENERAL;
      let raw: string | null = null,
        formula = false,
        q = ce + 1;
      for (;;) {
        const lt = buf.indexOf('<', q);
        if (lt < 0 || lt >= cend) break;
        const c1 = buf.charCodeAt(lt + 1),
          c2 = buf.charCodeAt(lt + 2);
        const gt = buf.indexOf('>', lt);
        const empty = buf.charCodeAt(gt - 1) === 47;
        if (c1 === 118 /* v */ && isNameEnd(c2)) {
          if (empty) {
            raw = '';
            q = gt + 1;
            continue;
          }
          const end = buf.indexOf('</v>', gt);
          if (end < 0 || end > cend) throw GENERAL;
          const type = cell.type;
          // a shared-string index or a whole number read straight from the text (most cells), no string made
          if (!formula && (type === 's' || type === undefined || type === 'n')) {
            const n = digitsAt(buf, gt + 1, end);
            if (n >= 0) {
              const v =
                type === 's' ? (sst[n] ?? null) : dateStyle[cell.style] === true ? serialToDate(n, date1904) : n;
              if (v !== null) cells[col] = v;
              raw = null;
              q = end + 4;
              if (buf.indexOf('<', q) < cend) throw GENERAL;
              break;
            }
          }
          raw = buf.slice(gt + 1, end);
          q = end + 4;
        } else if (c1 === 102 /* f */ && isNameEnd(c2)) {
          formula = true;
          if (empty) {
            q = gt + 1;
            continue;
          }
          const end = buf.indexOf('</f>', gt);
          if (end < 0 || end > cend) throw GENERAL;
          q = end + 4;
        } else if (c1 === 105 /* i */ && c2 === 115 /* s */ && isNameEnd(buf.charCodeAt(lt + 3))) {
          // inline string: one plain <t> only; runs and phonetic guides go the general way
          const end = buf.indexOf('</is>', gt);
          if (end < 0 || end > cend) throw GENERAL;
          const t = buf.indexOf('<t', gt);
          if (t < 0 || t >= end) raw = '';
          else {
            const tgt = buf.indexOf('>', t);
            if (!isNameEnd(buf.charCodeAt(t + 2))) throw GENERAL;
            if (buf.charCodeAt(tgt - 1) === 47) raw = '';
            else {
              const tend = buf.indexOf('</t>', tgt);
              if (tend < 0 || tend > end || buf.indexOf('<', tend + 4) < end) throw GENERAL;
              raw = buf.slice(tgt + 1, tend);
            }
          }
          q = end + 5;
        } else throw GENERAL;
      }
      if (raw !== null) {
        const v = cellValue(raw, cell.type, formula, dateStyle[cell.style] === true, date1904, sst);
        if (v !== null) cells[col] = v;
      }
      p = cend + 4;
    }
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
    return cells;
  };

  const emit = (cells: Cell[], row: number) => {
    if (onRow(cells, row) === false) throw STOP;
  };

  /** Reads the complete rows in buf from pos; returns where the incomplete rest begins, or -1 at the end of the data. */
  const rows = (): number => {
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0 || lt + 12 > buf.length) return pos;
      if (buf.startsWith('<row', lt) && isNameEnd(buf.charCodeAt(lt + 4))) {
        const gt = buf.indexOf('>', lt);
        if (gt < 0) return pos;
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        const written = plainRowNumber(buf, lt + 4, gt);
        state.rowNo =
          (written >= 0 ? written : parseInt(attr(buf, lt + 4, selfClosing ? gt - 1 : gt, 'r') ?? '', 10)) ||
          state.rowNo + 1;
        if (selfClosing) {
          emit([], state.rowNo);
          pos = gt + 1;
          continue;
        }
        const end = buf.indexOf('</row>', gt);
        if (end < 0) return pos;
        try {
          rowCells = rowContent(gt + 1, end);
        } catch (err) {
          if (err !== GENERAL) throw err;
          scanXmlString(buf.slice(lt, end + 6), h);
          if (h.done) throw STOP;
          pos = end + 6;
          continue;
        }
        emit(rowCells, state.rowNo);
        pos = end + 6;
      } else if (buf.startsWith('</sheetData', lt)) {
        return -1;
      } else if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt);
        if (end < 0) return pos;
        pos = end + 3;
      } else {
        // anything else between rows: the general tokenizer reads it up to the next row or the end of the data
        const next = buf.indexOf('<row', lt + 1),
          close = buf.indexOf('</sheetData', lt + 1);
        const stop = next < 0 ? close : close < 0 ? next : Math.min(next, close);
        if (stop < 0) return pos;
        scanXmlString(buf.slice(lt, stop), h);
        pos = stop;
      }
    }
  };

  try {
    for (;;) {
      const at = rows();
      if (at < 0) return;
      const next = await chunks.next();
      if (next.done) return;
      buf = buf.slice(at) + next.value;
      pos = 0;
      if (buf.length > MAX_TOKEN) throw new XmlError('row too long');
    }
  } catch (err) {
    if (err !== STOP) throw err;
  } finally {
    await chunks.return?.(undefined);
  }
}

function cellValue(
  raw: string,
  type: string | undefined,
  formula: boolean,
  isDate: boolean,
  date1904: boolean,
  sst: (string | null)[],
): Cell {
  if (formula) {
    // the cached result: text for t="str", otherwise a number (as it has always been read)
    if (type === 'str') return decodeXml(raw);
    if (type === 'e') return null;
    const n = parseFloat(raw);
    return Number.isNaN(n) ? null : n;
  }
  switch (type) {
    case 's':
      return sst[parseInt(raw, 10)] ?? null;
    case 'inlineStr':
    case 'str':
      return decodeXml(raw);
    case 'b':
      return parseInt(raw, 10) !== 0;
    case 'e':
      return null;
    case 'd': {
      const d = new Date(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
      return Number.isNaN(d.getTime()) ? decodeXml(raw) : d;
    }
    default: {
      const n = parseFloat(raw);
      if (Number.isNaN(n)) return null;
      return isDate ? serialToDate(n, date1904) : n;
    }
  }
}
