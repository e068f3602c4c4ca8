/**
 * Decides what a file is before any parser touches it, from its bytes, not its name:
 *   - OLE compound file (D0 CF 11 E0): an encrypted OOXML workbook (has an EncryptedPackage stream)
 *     or an .xls / .et workbook → one clear message each;
 *   - zip: the central directory is read from the file's tail and every entry's declared sizes are
 *     checked against the limits (zip bomb), encryption flags and the presence of an xlsx workbook part;
 *   - anything else is not an xlsx (a .csv is handled by its own reader).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { formatBytes, type IngestLimits } from './limits';
import type { MessageCode } from './messages';

export type Verdict =
  | { kind: 'xlsx' }
  | { kind: 'csv' }
  | { kind: 'refused'; code: MessageCode; params?: Record<string, string | number> };

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

export function inspectFile(path: string, fileName: string, limits: IngestLimits): Verdict {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limits.maxFileBytes) return { kind: 'refused', code: 'file/too-large', params: { size: formatBytes(size), limit: formatBytes(limits.maxFileBytes) } };
    if (size === 0) return { kind: 'refused', code: 'file/empty' };
    const head = readAt(fd, 0, 8);
    if (head.subarray(0, 8).equals(CFB_MAGIC)) {
      const all = readAt(fd, 0, size);
      const encrypted = all.includes(Buffer.from('EncryptedPackage', 'utf16le'));
      return { kind: 'refused', code: encrypted ? 'file/encrypted' : 'file/xls' };
    }
    if (head.subarray(0, 4).equals(ZIP_MAGIC)) return inspectZip(fd, size, limits);
    if (/\.(csv|txt)$/i.test(fileName)) return { kind: 'csv' };
    if (/\.(xls|et)$/i.test(fileName)) return { kind: 'refused', code: 'file/xls' };
    return { kind: 'refused', code: 'file/not-xlsx' };
  } finally {
    closeSync(fd);
  }
}

function inspectZip(fd: number, size: number, limits: IngestLimits): Verdict {
  const tailLen = Math.min(size, 65_557);
  const tail = readAt(fd, size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD_SIG) { eocd = i; break; }
  if (eocd < 0) return { kind: 'refused', code: 'file/not-xlsx' };
  const entries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) return { kind: 'refused', code: 'file/zip-bomb', params: { size: 'ZIP64', limit: formatBytes(limits.maxUncompressedBytes), ratio: '-', maxRatio: limits.maxCompressionRatio } };
  if (entries > limits.maxZipEntries || cdOffset + cdSize > size) return { kind: 'refused', code: 'file/not-xlsx' };
  const cd = readAt(fd, cdOffset, cdSize);
  let total = 0, worstRatio = 0, hasWorkbook = false, hasTypes = false;
  for (let p = 0, i = 0; i < entries; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN_SIG) return { kind: 'refused', code: 'file/not-xlsx' };
    const flags = cd.readUInt16LE(p + 8);
    const compressed = cd.readUInt32LE(p + 20);
    const uncompressed = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
    const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (flags & 1) return { kind: 'refused', code: 'file/encrypted' };
    if (compressed === 0xffffffff || uncompressed === 0xffffffff) return { kind: 'refused', code: 'file/zip-bomb', params: { size: 'ZIP64', limit: formatBytes(limits.maxUncompressedBytes), ratio: '-', maxRatio: limits.maxCompressionRatio } };
    total += uncompressed;
    if (uncompressed > 1024 * 1024) worstRatio = Math.max(worstRatio, uncompressed / Math.max(1, compressed));
    if (name === 'xl/workbook.xml') hasWorkbook = true;
    if (name === '[Content_Types].xml') hasTypes = true;
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (total > limits.maxUncompressedBytes || worstRatio > limits.maxCompressionRatio) {
    return { kind: 'refused', code: 'file/zip-bomb', params: { size: formatBytes(total), limit: formatBytes(limits.maxUncompressedBytes), ratio: Math.round(worstRatio), maxRatio: limits.maxCompressionRatio } };
  }
  if (!hasWorkbook || !hasTypes) return { kind: 'refused', code: 'file/not-xlsx' };
  return { kind: 'xlsx' };
}
