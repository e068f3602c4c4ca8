/**
 * Hostile workbooks for the security tests, generated here rather than stored: a zip whose central
 * directory lies about the sizes of its entries, with an entry that really inflates to gigabytes.
 * The big entry is one deflate block that is repeated: a block compressed with a full flush refers to no
 * earlier bytes, so the same compressed bytes can follow each other any number of times.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

interface Entry {
  name: string;
  packed: Buffer;
  crc: number;
  realSize: number;
  declaredSize: number;
}

const plain = (name: string, text: string): Entry => {
  const data = Buffer.from(text);
  return { name, packed: deflateRawSync(data), crc: crc32(data), realSize: data.length, declaredSize: data.length };
};

function zip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.packed.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(e.crc >>> 0, 16);
    cen.writeUInt32LE(e.packed.length, 20);
    cen.writeUInt32LE(e.declaredSize, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    parts.push(local, name, e.packed);
    central.push(cen, name);
    offset += 30 + name.length + e.packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** Deflate of prefix + body×times + suffix, built from one compressed copy of body. */
function repeated(prefix: string, body: string, times: number, suffix: string): Buffer {
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const head = deflateRawSync(Buffer.from(prefix), flush);
  const block = deflateRawSync(Buffer.from(body), flush);
  const tail = deflateRawSync(Buffer.from(suffix));
  return Buffer.concat([head, ...Array.from({ length: times }, () => block), tail]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * An .xlsx whose xl/sharedStrings.xml is declared as 1,000 bytes but inflates to about `gigabytes` GB of
 * `<r><t>a</t></r>` runs (≈ 1.5 MB of file per GB). Every other part is honest.
 */
export function lyingSharedStringsBomb(gigabytes = 1.5): Buffer {
  const run = '<r><t>a</t></r>'.repeat(4096);
  const body = `<si>${run}</si>`.repeat(16); // ≈ 1 MB
  const times = Math.ceil((gigabytes * 1024 ** 3) / body.length);
  const sst: Entry = {
    name: 'xl/sharedStrings.xml',
    packed: repeated(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">`, body, times, '</sst>'),
    crc: 0,
    realSize: -1,
    declaredSize: 1000,
  };
  return zip([
    plain(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    plain(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    plain(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="职工名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    plain(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    sst,
    plain(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
    ),
  ]);
}
