/**
 * A minimal zip writer for hostile test files (bombs, lying headers, unlisted entries, encrypted flags)
 * and for small hand-written .xlsx packages with shapes other producers write.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Already deflated bytes to store as the entry's data (then `data` is ignored); see repeatedDeflate. */
  deflated?: Buffer;
  /** Override the declared uncompressed size in both headers. */
  declaredSize?: number;
  /** Override the declared uncompressed size in the local header only. */
  localDeclaredSize?: number;
  /** Written as a local entry only: the central directory does not list it. */
  unlisted?: boolean;
  /** Set the "encrypted" general-purpose flag. */
  encryptedFlag?: boolean;
}

export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let listed = 0;
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = e.deflated ?? deflateRawSync(e.data);
    const crc = e.deflated ? 0 : crc32(e.data);
    const flags = e.encryptedFlag ? 1 : 0;
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.localDeclaredSize ?? size, 22);
    local.writeUInt16LE(name.length, 26);
    if (!e.unlisted) {
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(flags, 8);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(crc >>> 0, 16);
      central.writeUInt32LE(packed.length, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      centrals.push(central, name);
      listed++;
    }
    locals.push(local, name, packed);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A raw deflate stream that inflates to `head`, then `run` repeated `times` times, then `tail`, built
 * without inflating anything: `run` is compressed once as a self-contained, byte-aligned block (sync
 * flush) and the block is repeated. 1 MB of a repetitive run costs about 1 KB, so hundreds of MB of
 * XML cost a few hundred KB.
 */
export function repeatedDeflate(
  head: string,
  run: string,
  times: number,
  tail: string,
): { deflated: Buffer; size: number } {
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  const runBuf = Buffer.from(run.repeat(Math.max(1, Math.floor((1024 * 1024) / run.length))));
  const block = deflateRawSync(runBuf, flush);
  const headBuf = Buffer.from(head),
    tailBuf = Buffer.from(tail);
  const deflated = Buffer.concat([
    deflateRawSync(headBuf, flush),
    ...new Array<Buffer>(times).fill(block),
    deflateRawSync(tailBuf),
  ]);
  return { deflated, size: headBuf.length + runBuf.length * times + tailBuf.length };
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export const XLSX_SKELETON: ZipEntry[] = [
  {
    name: '[Content_Types].xml',
    data: Buffer.from(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
  },
  { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0"?><workbook xmlns="${NS}"><sheets/></workbook>`) },
];

export interface RawSheet {
  name: string;
  /** The worksheet's <sheetData> content (rows), or a whole worksheet part when it starts with '<?xml' or '<worksheet'. */
  xml: string;
  state?: 'hidden' | 'veryHidden';
}

/**
 * An .xlsx package written by hand, to reach shapes exceljs does not write: shared strings given as
 * raw <si> elements, a styles part, the 1904 date system, parts in any order (worksheets before
 * xl/workbook.xml, as openpyxl stores them).
 */
export function rawXlsx(opts: {
  sheets: RawSheet[];
  sharedStrings?: string[];
  styles?: string;
  date1904?: boolean;
  worksheetsFirst?: boolean;
  extra?: ZipEntry[];
}): Buffer {
  const sheetParts: ZipEntry[] = opts.sheets.map((s, i) => ({
    name: `xl/worksheets/sheet${i + 1}.xml`,
    data: Buffer.from(
      /^\s*<(\?xml|worksheet|\w+:worksheet)/.test(s.xml)
        ? s.xml
        : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${REL}"><sheetData>${s.xml}</sheetData></worksheet>`,
    ),
  }));
  const rels = opts.sheets.map(
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  const parts: ZipEntry[] = [];
  if (opts.styles) {
    rels.push(`<Relationship Id="rIdS" Type="${REL}/styles" Target="styles.xml"/>`);
    parts.push({ name: 'xl/styles.xml', data: Buffer.from(opts.styles) });
  }
  if (opts.sharedStrings) {
    rels.push(`<Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
    parts.push({
      name: 'xl/sharedStrings.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}" count="${opts.sharedStrings.length}" uniqueCount="${opts.sharedStrings.length}">${opts.sharedStrings.join('')}</sst>`,
      ),
    });
  }
  const book: ZipEntry[] = [
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}">${opts.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${opts.sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
      ),
    },
  ];
  const types: ZipEntry = {
    name: '[Content_Types].xml',
    data: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
    ),
  };
  const root: ZipEntry = {
    name: '_rels/.rels',
    data: Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
  };
  const ordered = opts.worksheetsFirst
    ? [...sheetParts, ...parts, ...book, root, types]
    : [types, root, ...book, ...parts, ...sheetParts];
  return makeZip([...ordered, ...(opts.extra ?? [])]);
}

/**
 * A workbook whose xl/sharedStrings.xml is declared as 1,000 bytes in both headers but really inflates
 * to `mb` MB of <r><t>a</t></r> runs (a decompression bomb behind a lying header); a few hundred KB on disk.
 */
export function lyingSharedStrings(mb: number): { zip: Buffer; realSize: number } {
  const bomb = repeatedDeflate(`<?xml version="1.0"?><sst xmlns="${NS}"><si>`, '<r><t>a</t></r>', mb, '</si></sst>');
  const sheets: RawSheet[] = [
    { name: '单位信息', xml: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' },
    { name: '职工名册', xml: '' },
  ];
  return {
    zip: rawXlsx({
      sheets,
      extra: [{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(0), deflated: bomb.deflated, declaredSize: 1000 }],
    }),
    realSize: bomb.size,
  };
}
