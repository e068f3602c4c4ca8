/**
 * The zip container of an .xlsx, read from the stored file with no temporary copy:
 *   - the central directory is the only list of parts; every local entry must be listed there, agree
 *     with its listing (name, method, sizes, CRC) and the local entries must tile the file up to the
 *     central directory with no gap, so nothing unlisted can hide between them;
 *   - a part is inflated as a stream (node's zlib) and the bytes it actually produces are counted:
 *     past its declared size, past the compression-ratio limit or past the total limit, inflation
 *     stops at once and the workbook is refused as a zip bomb.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { formatBytes, type IngestLimits } from '../limits';
import type { MessageCode } from '../messages';

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const DESCRIPTOR_SIG = 0x08074b50;

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  /** Where the compressed bytes start (known once the local header is read). */
  dataStart: number;
}

/** A refusal with the problem code and message parameters the user sees. */
export class ZipRefusal extends Error {
  constructor(
    readonly code: MessageCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

const zip64 = (limits: IngestLimits) =>
  new ZipRefusal('file/zip-bomb', {
    size: 'ZIP64',
    limit: formatBytes(limits.maxUncompressedBytes),
    ratio: '-',
    maxRatio: limits.maxCompressionRatio,
  });

/** The central directory as listed at the end of the file; throws ZipRefusal for what is not a plain zip. */
export function readCentralDirectory(
  fd: number,
  size: number,
  limits: IngestLimits,
): { entries: ZipEntry[]; cdOffset: number } {
  const tailLen = Math.min(size, 65_557);
  const tail = readAt(fd, size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new ZipRefusal('file/not-xlsx');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw zip64(limits);
  if (count > limits.maxZipEntries || cdOffset + cdSize > size) throw new ZipRefusal('file/not-xlsx');
  const cd = readAt(fd, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  for (let p = 0, i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN_SIG) throw new ZipRefusal('file/not-xlsx');
    const nameLen = cd.readUInt16LE(p + 28),
      extraLen = cd.readUInt16LE(p + 30),
      commentLen = cd.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
      dataStart: -1,
    };
    if (
      entry.compressedSize === 0xffffffff ||
      entry.uncompressedSize === 0xffffffff ||
      entry.localOffset === 0xffffffff
    )
      throw zip64(limits);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, cdOffset };
}

const mismatch = (part: string) => new ZipRefusal('file/zip-mismatch', { part: part.slice(0, 80) });

/**
 * Every local entry checked against its listing, in file order: they must start at 0, follow one
 * another with no gap and end where the central directory starts.
 */
function verifyLocalEntries(fd: number, entries: ZipEntry[], cdOffset: number): void {
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let expected = 0;
  for (const e of byOffset) {
    if (e.localOffset !== expected) throw mismatch(e.name);
    const h = readAt(fd, e.localOffset, 30);
    if (h.length < 30 || h.readUInt32LE(0) !== LOC_SIG) throw mismatch(e.name);
    const flags = h.readUInt16LE(6),
      method = h.readUInt16LE(8);
    const nameLen = h.readUInt16LE(26),
      extraLen = h.readUInt16LE(28);
    const name = readAt(fd, e.localOffset + 30, nameLen).toString('utf8');
    if (name !== e.name || method !== e.method || (flags & 1) !== (e.flags & 1) || (flags & 8) !== (e.flags & 8))
      throw mismatch(e.name);
    if (
      !(flags & 8) &&
      (h.readUInt32LE(14) !== e.crc ||
        h.readUInt32LE(18) !== e.compressedSize ||
        h.readUInt32LE(22) !== e.uncompressedSize)
    )
      throw mismatch(e.name);
    e.dataStart = e.localOffset + 30 + nameLen + extraLen;
    let end = e.dataStart + e.compressedSize;
    if (flags & 8) {
      // data descriptor after the data: [signature] crc, compressed size, uncompressed size
      const d = readAt(fd, end, 16);
      const o = d.length >= 4 && d.readUInt32LE(0) === DESCRIPTOR_SIG ? 4 : 0;
      if (
        d.length < o + 12 ||
        d.readUInt32LE(o) !== e.crc ||
        d.readUInt32LE(o + 4) !== e.compressedSize ||
        d.readUInt32LE(o + 8) !== e.uncompressedSize
      )
        throw mismatch(e.name);
      end += o + 12;
    }
    expected = end;
  }
  if (expected !== cdOffset) throw mismatch(byOffset.at(-1)?.name ?? '');
}

/**
 * Parts up to this size compressed (and 8 × inflated) are read and inflated at once rather than streamed: a
 * few milliseconds of work, while a larger part streams so the process keeps answering between its chunks.
 */
const SMALL_PART_BYTES = 64 * 1024;

export class ZipFile {
  private readonly byName = new Map<string, ZipEntry>();
  /** Bytes actually inflated so far, across every part. */
  inflatedTotal = 0;

  private constructor(
    readonly path: string,
    readonly entries: ZipEntry[],
    private readonly limits: IngestLimits,
  ) {
    for (const e of entries) {
      if (this.byName.has(e.name)) throw mismatch(e.name);
      this.byName.set(e.name, e);
    }
  }

  static open(path: string, limits: IngestLimits): ZipFile {
    const fd = openSync(path, 'r');
    try {
      const { entries, cdOffset } = readCentralDirectory(fd, fstatSync(fd).size, limits);
      verifyLocalEntries(fd, entries, cdOffset);
      return new ZipFile(path, entries, limits);
    } finally {
      closeSync(fd);
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  private bomb(e: ZipEntry, produced: number, limit: number): ZipRefusal {
    return new ZipRefusal('file/zip-bomb', {
      size: formatBytes(produced),
      limit: formatBytes(limit),
      ratio: Math.round(produced / Math.max(1, e.compressedSize)),
      maxRatio: this.limits.maxCompressionRatio,
    });
  }

  /**
   * The part's bytes as they are inflated. Stops (and destroys the streams) the moment the part
   * produces more than it declared, more than the ratio limit allows, or the workbook more than the
   * total limit; also when the consumer stops early.
   */
  async *bytes(e: ZipEntry): AsyncGenerator<Buffer> {
    if (e.method !== 0 && e.method !== 8)
      throw new ZipRefusal('file/corrupt', { detail: `${e.name.slice(0, 60)}: method ${e.method}` });
    if (e.compressedSize === 0) return;
    if (e.compressedSize <= SMALL_PART_BYTES && e.uncompressedSize <= SMALL_PART_BYTES * 8) {
      yield this.smallPart(e);
      return;
    }
    const source = createReadStream(this.path, {
      start: e.dataStart,
      end: e.dataStart + e.compressedSize - 1,
      highWaterMark: 256 * 1024,
    });
    const stream = e.method === 8 ? createInflateRaw({ chunkSize: 128 * 1024 }) : null;
    const out = stream ?? source;
    if (stream) pipeline(source, stream, () => {});
    const ratioCap = e.compressedSize * this.limits.maxCompressionRatio;
    let produced = 0;
    try {
      for await (const chunk of out as AsyncIterable<Buffer>) {
        produced += chunk.length;
        this.inflatedTotal += chunk.length;
        if (produced > e.uncompressedSize) throw this.bomb(e, produced, e.uncompressedSize);
        // the ratio only matters for parts big enough to hurt (as the file guard judges it)
        if (produced > 1024 * 1024 && produced > ratioCap) throw this.bomb(e, produced, ratioCap);
        if (this.inflatedTotal > this.limits.maxUncompressedBytes)
          throw this.bomb(e, this.inflatedTotal, this.limits.maxUncompressedBytes);
        yield chunk;
      }
    } finally {
      source.destroy();
      stream?.destroy();
    }
    if (produced !== e.uncompressedSize) throw mismatch(e.name);
  }

  /**
   * A small part at once: one read and one inflate, with the same limits as the stream. Most workbooks are
   * small, and for them setting up a file stream and an inflate stream per part costs more than the reading.
   */
  private smallPart(e: ZipEntry): Buffer {
    const raw = Buffer.allocUnsafe(e.compressedSize);
    const fd = openSync(this.path, 'r');
    try {
      if (readSync(fd, raw, 0, e.compressedSize, e.dataStart) !== e.compressedSize) throw mismatch(e.name);
    } finally {
      closeSync(fd);
    }
    let out: Buffer = raw;
    if (e.method === 8)
      try {
        // one byte more than declared: a part that inflates beyond its declared size is refused, not truncated
        out = inflateRawSync(raw, { maxOutputLength: e.uncompressedSize + 1 });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw this.bomb(e, e.uncompressedSize + 1, e.uncompressedSize);
        throw err;
      }
    this.inflatedTotal += out.length;
    if (out.length > e.uncompressedSize) throw this.bomb(e, out.length, e.uncompressedSize);
    const ratioCap = e.compressedSize * this.limits.maxCompressionRatio;
    if (out.length > 1024 * 1024 && out.length > ratioCap) throw this.bomb(e, out.length, ratioCap);
    if (this.inflatedTotal > this.limits.maxUncompressedBytes)
      throw this.bomb(e, this.inflatedTotal, this.limits.maxUncompressedBytes);
    if (out.length !== e.uncompressedSize) throw mismatch(e.name);
    return out;
  }

  /** The part decoded as UTF-8 in chunks; a character split between two inflated chunks is kept whole. */
  async *text(e: ZipEntry): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8'); // drops a leading byte-order mark
    for await (const chunk of this.bytes(e)) {
      const s = decoder.decode(chunk, { stream: true });
      if (s) yield s;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  /** A small part (workbook, relationships, styles) as one string; '' when absent. */
  async readText(name: string): Promise<string> {
    const e = this.get(name);
    if (!e) return '';
    let s = '';
    for await (const chunk of this.text(e)) {
      s += chunk;
      // these parts are kilobytes in any real workbook; a huge one is refused before it is held whole
      if (s.length > 16 * 1024 * 1024)
        throw new ZipRefusal('file/corrupt', { detail: `${e.name.slice(0, 60)} > 16 MB` });
    }
    return s;
  }
}
