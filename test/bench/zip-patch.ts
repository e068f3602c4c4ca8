/**
 * Copies a zip (a template workbook) replacing text in some of its parts: every other part's compressed bytes
 * are copied as they are, so a workbook per employer costs one small deflate rather than writing the roster.
 * Only what the benchmark's own templates need: no zip64, no data descriptors, stored or deflated entries.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

interface Entry {
  name: Buffer;
  method: number;
  crc: number;
  compressed: Buffer;
  size: number;
}

export function readZipEntries(zip: Buffer): Entry[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({ name, method, crc, compressed: zip.subarray(dataAt, dataAt + compSize), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The template with `replace` applied to the text of the parts it names. */
export function patchZip(entries: Entry[], replace: Record<string, (text: string) => string>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e0 of entries) {
    let e = e0;
    const fn = replace[e0.name.toString('utf8')];
    if (fn) {
      const raw = e0.method === 8 ? inflateRawSync(e0.compressed) : e0.compressed;
      const text = Buffer.from(fn(raw.toString('utf8')), 'utf8');
      e = { name: e0.name, method: 8, crc: crc32(text), compressed: deflateRawSync(text), size: text.length };
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.compressed.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(e.name.length, 26);
    local.writeUInt16LE(0, 28);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    local.copy(c, 8, 6, 30); // flags … name length, extra length
    c.writeUInt32LE(offset, 42);
    central.push(c, e.name);
    parts.push(local, e.name, e.compressed);
    offset += 30 + e.name.length + e.compressed.length;
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
