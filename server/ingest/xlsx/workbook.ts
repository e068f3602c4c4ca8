/**
 * An .xlsx read part by part in the order the meaning needs, whatever order the producer stored them
 * in: xl/workbook.xml and its relationships first (sheet names, order, targets, the 1904 date system),
 * then styles (which cell styles are dates) and shared strings, then each worksheet as a stream of rows.
 * Cell values are the ones the sheet parsers have always received (see cell-value.ts):
 *   shared / inline / formula strings → string (rich-text runs joined, phonetic runs left out);
 *   numbers → number, or Date when the cell's number format is a date format; booleans → boolean;
 *   a formula → its cached value (none cached → null); errors → null.
 */
import type { Cell } from '../fields/result';
import { attr, decodeXml, scanXml, scanXmlString, type XmlHandler } from './xml';
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
function eachTag(xml: string, fn: (name: string, get: (a: string) => string | undefined) => void, onClose?: (name: string) => void): void {
  const h: XmlHandler = {
    wantText: false, done: false,
    open(name, buf, from, to) { fn(name, (a) => attr(buf, from, to, a)); },
    close(name) { onClose?.(name); },
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
    const id = get('Id'), target = get('Target');
    if (name === 'Relationship' && id && target && get('TargetMode') !== 'External') out.set(id, { type: get('Type') ?? '', target: resolveTarget(folderOf(part), target) });
  });
  return out;
}

/** Date format codes, the way the sheet reader has always judged them: y, m, d, h, s or b outside quotes and brackets. */
export function isDateFormat(code: string | undefined): boolean {
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
  eachTag(await zip.readText(part), (name, get) => {
    if (name === 'numFmt') custom.set(Number(get('numFmtId')), get('formatCode') ?? '');
    else if (name === 'cellXfs') inCellXfs = true;
    else if (name === 'xf' && inCellXfs) xfs.push(parseInt(get('numFmtId') ?? '0', 10) || 0);
  }, (name) => { if (name === 'cellXfs') inCellXfs = false; });
  return xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)) : BUILTIN_DATE.has(id)));
}

/** Shared strings, streamed: each <si>'s text runs joined, phonetic guides (<rPh>) left out. */
async function readSharedStrings(zip: ZipFile, part: string | undefined): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  const e = part ? zip.get(part) : undefined;
  if (!e) return out;
  let text: string | null = null;
  let inSi = false, inPhonetic = false;
  const h: XmlHandler = {
    wantText: false, done: false,
    open(name) {
      if (name === 'si') { inSi = true; text = null; } else if (name === 't' && inSi && !inPhonetic) h.wantText = true;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name) {
      if (name === 't') h.wantText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') { out.push(text === null || text === '' ? null : decodeXml(text)); inSi = false; }
    },
    text(raw) { text = text === null ? raw : text + raw; },
  };
  await scanXml(zip.text(e), h);
  return out;
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
  const dateStyle = await readStyles(zip, byType(/\/styles$/) ?? (zip.get('xl/styles.xml') ? 'xl/styles.xml' : undefined));
  const sharedStrings = await readSharedStrings(zip, byType(/\/sharedStrings$/) ?? 'xl/sharedStrings.xml');
  return { sheets, date1904, sharedStrings, dateStyle };
}

/** Column number of a cell reference (A1 → 1); 0 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return 0;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col;
}

const MS_PER_DAY = 86_400_000;

/** A serial date to a Date at UTC (the 1904 system is 1,462 days later). */
export function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * MS_PER_DAY));
}

/** Each row of a worksheet as cells (cells[1] = column A); `onRow` returns false to stop reading. */
export async function readSheetRows(zip: ZipFile, part: string, book: WorkbookInfo, onRow: (cells: Cell[], row: number) => boolean | void): Promise<void> {
  const e = zip.get(part);
  if (!e) return;
  const { sharedStrings, dateStyle, date1904 } = book;
  let inData = false;
  let rowNo = 0, cells: Cell[] = [];
  let inRow = false;
  // current cell
  let col = 0, style = 0, type: string | undefined, hasFormula = false, value: string | null = null;
  let inInline = false, inPhonetic = false;
  const h: XmlHandler = {
    wantText: false, done: false,
    open(name, buf, from, to) {
      switch (name) {
        case 'sheetData': inData = true; break;
        case 'row':
          if (!inData) break;
          inRow = true;
          rowNo = parseInt(attr(buf, from, to, 'r') ?? '', 10) || rowNo + 1;
          cells = [];
          col = 0;
          break;
        case 'c': {
          if (!inRow) break;
          col = columnOf(attr(buf, from, to, 'r')) || col + 1;
          style = parseInt(attr(buf, from, to, 's') ?? '0', 10) || 0;
          type = attr(buf, from, to, 't');
          hasFormula = false;
          value = null;
          break;
        }
        case 'v': if (inRow) { value = ''; h.wantText = true; } break;
        case 'f': hasFormula = true; break;
        case 'is': inInline = true; value = ''; break;
        case 't': if (inInline && !inPhonetic) h.wantText = true; break;
        case 'rPh': inPhonetic = true; break;
      }
    },
    close(name) {
      switch (name) {
        case 'v': case 't': h.wantText = false; break;
        case 'is': inInline = false; break;
        case 'rPh': inPhonetic = false; break;
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
          if (onRow(cells, rowNo) === false) h.done = true;
          break;
        case 'sheetData': inData = false; h.done = true; break;
      }
    },
    text(raw) { value += raw; },
  };
  await scanXml(zip.text(e), h);
}

function cellValue(raw: string, type: string | undefined, formula: boolean, isDate: boolean, date1904: boolean, sst: (string | null)[]): Cell {
  if (formula) {
    // the cached result: text for t="str", otherwise a number (as it has always been read)
    if (type === 'str') return decodeXml(raw);
    if (type === 'e') return null;
    const n = parseFloat(raw);
    return Number.isNaN(n) ? null : n;
  }
  switch (type) {
    case 's': return sst[parseInt(raw, 10)] ?? null;
    case 'inlineStr': case 'str': return decodeXml(raw);
    case 'b': return parseInt(raw, 10) !== 0;
    case 'e': return null;
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
