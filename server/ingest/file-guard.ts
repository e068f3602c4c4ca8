/**
 * Decides what a file is before any parser touches it, from its bytes, not its name:
 *   - OLE compound file (D0 CF 11 E0): an encrypted OOXML workbook (has an EncryptedPackage stream)
 *     or an .xls / .et workbook → one clear message each;
 *   - zip: the central directory is read from the file's tail and every entry's declared sizes are
 *     checked against the limits (zip bomb), encryption flags and the presence of an xlsx workbook part
 *     (the reader then holds every part to what it declared here, on the bytes it actually inflates);
 *   - anything else is not an xlsx (a .csv is handled by its own reader).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { formatBytes, type IngestLimits } from './limits';
import type { MessageCode } from './messages';
import { readCentralDirectory, ZipRefusal, type ZipEntry } from './xlsx/zip';

export type Verdict =
  { kind: 'xlsx' } | { kind: 'csv' } | { kind: 'refused'; code: MessageCode; params?: Record<string, string | number> };

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

export function inspectFile(path: string, fileName: string, limits: IngestLimits): Verdict {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limits.maxFileBytes)
      return {
        kind: 'refused',
        code: 'file/too-large',
        params: { size: formatBytes(size), limit: formatBytes(limits.maxFileBytes) },
      };
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
  let entries: ZipEntry[];
  try {
    entries = readCentralDirectory(fd, size, limits).entries;
  } catch (err) {
    if (err instanceof ZipRefusal) return { kind: 'refused', code: err.code, params: err.params };
    throw err;
  }
  let total = 0,
    worstRatio = 0,
    hasWorkbook = false,
    hasTypes = false;
  for (const e of entries) {
    if (e.flags & 1) return { kind: 'refused', code: 'file/encrypted' };
    total += e.uncompressedSize;
    if (e.uncompressedSize > 1024 * 1024)
      worstRatio = Math.max(worstRatio, e.uncompressedSize / Math.max(1, e.compressedSize));
    if (e.name === 'xl/workbook.xml') hasWorkbook = true;
    if (e.name === '[Content_Types].xml') hasTypes = true;
  }
  if (total > limits.maxUncompressedBytes || worstRatio > limits.maxCompressionRatio) {
    return {
      kind: 'refused',
      code: 'file/zip-bomb',
      params: {
        size: formatBytes(total),
        limit: formatBytes(limits.maxUncompressedBytes),
        ratio: Math.round(worstRatio),
        maxRatio: limits.maxCompressionRatio,
      },
    };
  }
  if (!hasWorkbook || !hasTypes) return { kind: 'refused', code: 'file/not-xlsx' };
  return { kind: 'xlsx' };
}
