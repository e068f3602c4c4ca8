/**
 * Backup and restore of one installation: the database, the raw uploads and the audit checkpoints in one
 * gzip-compressed tar archive, with a manifest listing every member's size and SHA-256 and the schema
 * version (the last migration run).
 *
 * Taken while the app keeps serving, in this order so the copy is consistent:
 *   1. the audit checkpoints (a checkpoint is written first): each records no more entries than the database
 *      copy taken after it holds, so `quota audit verify` passes on the restored installation;
 *   2. the database, as one snapshot — SQLite through `VACUUM INTO` on a read connection (WAL: writers carry
 *      on), PostgreSQL through `pg_dump` (one transaction snapshot; raw uploads kept in the database come
 *      with it);
 *   3. the raw uploads kept as files (DATA_DIR/uploads): a file is stored before its row is written, so every
 *      upload row in the snapshot finds its file. A file that arrived after the snapshot is carried too, and
 *      is restored as a file no row names (harmless).
 *
 * `verifyBackup` reads the archive without restoring: a damaged or cut-off archive fails to decompress or
 * to parse, a member missing, added, changed or of another size fails its manifest line, and a manifest
 * changed to match fails its signature (HMAC with the audit checkpoints' key). `restoreBackup`
 * extracts into a staging folder, checks every member the same way, and only then puts the installation in
 * place — into an empty data directory and database, or over a non-empty one only when forced.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { copyFile, link, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Knex } from 'knex';
import * as tar from 'tar';
import { connect, isPostgres } from '../../db/connection';
import { pgDump, pgRestore } from '../../db/dump';
import { migrateLatest, migrationNames } from '../../db/migrate';
import { dropAllTables, latestMigration, tablesWithRows, vacuumInto } from '../../db/stores/backup';
import { checkpointFile, checkpointSources, writeCheckpoint } from './audit-checkpoint';
import { DomainError } from './errors';

export const MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'quotadesk-backup';
const SQLITE_MEMBER = 'database/quotadesk.sqlite3';
const PG_MEMBER = 'database/quotadesk.pgdump';
const OWN_CHECKPOINTS = 'checkpoints/audit-checkpoints.jsonl';
const SQLITE_FILE = 'quotadesk.sqlite3';
export const ARCHIVE_NAME = /^quotadesk-backup-\d{8}T\d{9}Z(?:-[0-9a-f]{6})?\.tar\.gz$/;

export interface ManifestMember {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  createdAt: string;
  /** the last migration run on the database copied */
  schemaVersion: string;
  database: 'sqlite' | 'postgres';
  /** raw uploads kept as files in the archive (uploads kept in the database are inside its dump) */
  uploadFiles: number;
  members: ManifestMember[];
  /**
   * HMAC-SHA256 of the rest of the manifest with the audit checkpoints' key (AUDIT_KEY, else derived from
   * SESSION_SECRET): an archive altered member and manifest alike is still refused.
   */
  signature?: string;
}

/** The manifest's signature: over the manifest as written, without the signature itself. */
export function manifestSignature(m: Manifest, key: Buffer): string {
  const { signature: _omit, ...rest } = m;
  void _omit;
  return createHmac('sha256', key).update(JSON.stringify(rest)).digest('hex');
}

/** Where a backup's time went, ms: the database copy, linking the uploads, the checksums, the compressed archive. */
export interface BackupPhases {
  database: number;
  uploads: number;
  checksums: number;
  archive: number;
}

export interface Installation {
  db: Knex;
  dataDir: string;
  databaseUrl: string | null;
  /** signs the checkpoint written before the copy (server/services/audit-checkpoint.ts) */
  checkpointKey: Buffer;
  /** other instances' checkpoint files or data directories (AUDIT_CHECKPOINTS) */
  checkpointSources?: string[];
}

const text = (zh: string, en: string) => ({ zh, en });

async function sha256Of(file: string, size?: number): Promise<string> {
  // a small file (most raw uploads) in one read: a stream per file costs more than hashing it
  if (size !== undefined && size <= 4 * 1024 * 1024)
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A hard link when the backup folder is on the data directory's disk (instant, no space), else a copy. */
async function linkOrCopy(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return false; // removed meanwhile (retention purge)
    try {
      await copyFile(from, to);
      return true;
    } catch (e2) {
      if ((e2 as { code?: string }).code === 'ENOENT') return false;
      throw e2;
    }
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('.', '');

/**
 * Writes one archive into `toDir` and returns its path and manifest. The archive appears under its final name
 * only once complete (written as `.partial`, then renamed).
 */
export async function createBackup(
  inst: Installation,
  toDir: string,
  now = new Date(),
): Promise<{ file: string; manifest: Manifest; bytes: number; phases: BackupPhases }> {
  const phases: BackupPhases = { database: 0, uploads: 0, checksums: 0, archive: 0 };
  let lap = Date.now();
  const done = (phase: keyof BackupPhases) => {
    phases[phase] = Date.now() - lap;
    lap = Date.now();
  };
  await mkdir(toDir, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(join(toDir, '.staging-'));
  try {
    const members: string[] = [];
    // 1. the checkpoints, after one of the head as it stands
    await writeCheckpoint(inst.db, inst.dataDir, inst.checkpointKey).catch(() => null);
    await mkdir(join(staging, 'checkpoints', 'other'), { recursive: true });
    const own = resolve(checkpointFile(inst.dataDir));
    if (await linkOrCopyPlain(own, join(staging, OWN_CHECKPOINTS))) members.push(OWN_CHECKPOINTS);
    let i = 0;
    for (const source of inst.checkpointSources ?? checkpointSources(inst.dataDir)) {
      const st = await stat(source).catch(() => null);
      const file = resolve(st?.isDirectory() ? checkpointFile(source) : source);
      if (file === own) continue;
      const name = `checkpoints/other/${++i}-${basename(file).replace(/[^\w.-]/g, '_')}`;
      if (await linkOrCopyPlain(file, join(staging, name))) members.push(name);
    }
    // 2. the database, one snapshot
    lap = Date.now();
    const schemaVersion = await latestMigration(inst.db);
    if (!schemaVersion) throw new Error('the database has no migrations run: nothing to back up');
    const postgres = isPostgres(inst.db);
    await mkdir(join(staging, 'database'));
    if (postgres) {
      if (!inst.databaseUrl) throw new Error('PostgreSQL backup needs DATABASE_URL');
      await pgDump(inst.databaseUrl, join(staging, PG_MEMBER));
      members.push(PG_MEMBER);
    } else {
      await vacuumInto(inst.db, join(staging, SQLITE_MEMBER));
      members.push(SQLITE_MEMBER);
    }
    done('database');
    // 3. the raw uploads kept as files
    await mkdir(join(staging, 'uploads'));
    let uploadFiles = 0;
    const names = await readdir(join(inst.dataDir, 'uploads')).catch(() => [] as string[]);
    for (const n of names.sort()) {
      const from = join(inst.dataDir, 'uploads', n);
      if (!(await stat(from).catch(() => null))?.isFile()) continue;
      if (await linkOrCopy(from, join(staging, 'uploads', n))) {
        members.push(`uploads/${n}`);
        uploadFiles++;
      }
    }
    done('uploads');
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      createdAt: now.toISOString(),
      schemaVersion,
      database: postgres ? 'postgres' : 'sqlite',
      uploadFiles,
      members: [],
    };
    for (const m of members) {
      const p = join(staging, m);
      const bytes = (await stat(p)).size;
      manifest.members.push({ path: m, bytes, sha256: await sha256Of(p, bytes) });
    }
    manifest.signature = manifestSignature(manifest, inst.checkpointKey);
    await writeFile(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    done('checksums');
    let file = join(toDir, `quotadesk-backup-${stamp(now)}.tar.gz`);
    if (existsSync(file)) file = file.replace(/\.tar\.gz$/, `-${randomUUID().slice(0, 6)}.tar.gz`);
    const partial = `${file}.partial`;
    // the manifest first: a reader knows what to expect before the members come. Compressed by node's zlib
    // on its thread pool, not on the event loop (the scheduled backup runs inside the serving app), at the
    // fastest level: at 10,000 units it halved the archive's time (28 s → 13 s) for a fifth more bytes
    // (77 → 92 MB; the raw uploads are zip files already, the database compresses less) — docs/performance.md
    await pipeline(
      tar.c({ cwd: staging, portable: true }, [MANIFEST, ...members]),
      createGzip({ level: constants.Z_BEST_SPEED, chunkSize: 1 << 20 }),
      createWriteStream(partial, { mode: 0o600 }),
    );
    await rename(partial, file);
    done('archive');
    return { file, manifest, bytes: (await stat(file)).size, phases };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A small file that may be appended to meanwhile: copied (a link would follow later appends). */
async function linkOrCopyPlain(from: string, to: string): Promise<boolean> {
  try {
    await copyFile(from, to);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false;
    throw e;
  }
}

export type Verdict = { ok: true; manifest: Manifest } | { ok: false; reason: string };

function checkManifest(raw: Buffer | undefined, key?: Buffer): Manifest | string {
  if (!raw) return 'no manifest.json at the start of the archive: not a QuotaDesk backup, or damaged';
  let m: Manifest;
  try {
    m = JSON.parse(raw.toString('utf8')) as Manifest;
  } catch {
    return 'manifest.json is not readable';
  }
  if (m.format !== BACKUP_FORMAT || m.formatVersion !== 1) return 'manifest.json is not a QuotaDesk backup manifest';
  if (!Array.isArray(m.members) || typeof m.schemaVersion !== 'string' || !['sqlite', 'postgres'].includes(m.database))
    return 'manifest.json is incomplete';
  const db = m.database === 'postgres' ? PG_MEMBER : SQLITE_MEMBER;
  if (!m.members.some((x) => x.path === db)) return `the manifest lists no database (${db})`;
  for (const x of m.members)
    if (
      typeof x.path !== 'string' ||
      !/^[\w./-]+$/.test(x.path) ||
      x.path.split('/').includes('..') ||
      !/^[0-9a-f]{64}$/.test(String(x.sha256)) ||
      !Number.isInteger(x.bytes)
    )
      return `the manifest line for ${String(x.path)} is malformed`;
  if (key) {
    const expected = Buffer.from(manifestSignature(m, key), 'hex');
    const given = Buffer.from(String(m.signature ?? ''), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return "the manifest's signature does not match: altered, or made with another AUDIT_KEY / SESSION_SECRET";
  }
  return m;
}

/** Compares what was read (path → size and hash) with the manifest: every member once, nothing else. */
function compare(m: Manifest, seen: Map<string, { bytes: number; sha256: string }>): string | null {
  for (const x of m.members) {
    const got = seen.get(x.path);
    if (!got) return `${x.path} is listed in the manifest but missing from the archive (truncated?)`;
    if (got.bytes !== x.bytes) return `${x.path} has ${got.bytes} bytes, the manifest says ${x.bytes}`;
    if (got.sha256 !== x.sha256) return `${x.path} does not match its checksum: altered or damaged`;
  }
  const listed = new Set(m.members.map((x) => x.path));
  for (const p of seen.keys()) if (!listed.has(p)) return `${p} is in the archive but not in the manifest`;
  return null;
}

/**
 * Reads the whole archive, checking every member against the manifest, without writing anything; with the
 * key (the CLI always gives it), the manifest's signature too.
 */
export async function verifyBackup(file: string, key?: Buffer): Promise<Verdict> {
  if (!(await stat(file).catch(() => null))?.isFile()) return { ok: false, reason: `${file}: no such file` };
  let manifestRaw: Buffer | undefined;
  let first = true;
  let problem: string | null = null;
  const seen = new Map<string, { bytes: number; sha256: string }>();
  const pending: Promise<void>[] = [];
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        const path = entry.path.replace(/^\.\//, '');
        const isFirst = first;
        first = false;
        if (entry.type === 'Directory') {
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          problem ??= `${path}: unexpected entry type ${entry.type}`;
          entry.resume();
          return;
        }
        if (seen.has(path) || (path === MANIFEST && !isFirst)) problem ??= `${path} appears twice in the archive`;
        const h = createHash('sha256');
        const chunks: Buffer[] = [];
        let bytes = 0;
        pending.push(
          new Promise<void>((done) => {
            entry.on('data', (d: Buffer) => {
              bytes += d.length;
              if (path === MANIFEST) chunks.push(d);
              else h.update(d);
            });
            entry.on('end', () => {
              if (path === MANIFEST && isFirst) manifestRaw = Buffer.concat(chunks);
              else if (path !== MANIFEST) seen.set(path, { bytes, sha256: h.digest('hex') });
              done();
            });
          }),
        );
      },
    } as tar.TarOptionsWithAliasesAsyncFile);
    await Promise.all(pending);
  } catch (e) {
    return { ok: false, reason: `the archive is damaged or truncated: ${(e as Error).message}` };
  }
  if (problem) return { ok: false, reason: problem };
  const m = checkManifest(manifestRaw, key);
  if (typeof m === 'string') return { ok: false, reason: m };
  const bad = compare(m, seen);
  return bad ? { ok: false, reason: bad } : { ok: true, manifest: m };
}

/** Checks an extracted archive's files against its manifest. */
async function verifyExtracted(dir: string, key?: Buffer): Promise<Verdict> {
  const raw = await readFile(join(dir, MANIFEST)).catch(() => undefined);
  const m = checkManifest(raw, key);
  if (typeof m === 'string') return { ok: false, reason: m };
  const seen = new Map<string, { bytes: number; sha256: string }>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (p !== MANIFEST) {
        const bytes = (await stat(join(dir, p))).size;
        seen.set(p, { bytes, sha256: await sha256Of(join(dir, p), bytes) });
      }
    }
  };
  await walk('');
  const bad = compare(m, seen);
  return bad ? { ok: false, reason: bad } : { ok: true, manifest: m };
}

/** What a non-empty target holds (empty list: empty). */
export async function whatIsThere(dataDir: string, databaseUrl: string | null): Promise<string[]> {
  const found: string[] = [];
  // a SQLite file not there yet is empty (and is not created by asking)
  if (databaseUrl || existsSync(join(dataDir, SQLITE_FILE))) {
    const db = connect({ databaseUrl, dataDir });
    try {
      const tables = await tablesWithRows(db);
      if (tables.length)
        found.push(`the database holds data (${tables.slice(0, 6).join(', ')}${tables.length > 6 ? ', …' : ''})`);
    } finally {
      await db.destroy();
    }
  }
  const uploads = await readdir(join(dataDir, 'uploads')).catch(() => [] as string[]);
  if (uploads.length) found.push(`${join(dataDir, 'uploads')} holds ${uploads.length} files`);
  if (existsSync(checkpointFile(dataDir))) found.push(`${checkpointFile(dataDir)} exists`);
  return found;
}

export interface Restored {
  manifest: Manifest;
  uploadFiles: number;
  /** migrations run after the restore (the archive was of an older schema) */
  migrated: string[];
  /** other instances' checkpoint files, put beside the data directory's own */
  otherCheckpoints: string[];
}

/**
 * Restores the archive into DATA_DIR and the database (DATABASE_URL, or the SQLite file in DATA_DIR). The app
 * must be stopped. Refuses a non-empty target unless `force`, a damaged archive, an archive of the other
 * database kind, and one made by a newer version (a schema this one does not know).
 */
export async function restoreBackup(
  file: string,
  target: { dataDir: string; databaseUrl: string | null },
  /** `key`: the manifest's signature is checked (AUDIT_KEY / SESSION_SECRET of the backed-up installation) */
  opts: { force?: boolean; key?: Buffer } = {},
): Promise<Restored> {
  if (!(await stat(file).catch(() => null))?.isFile())
    throw new DomainError(
      'not-found',
      `${file}: no such file`,
      text(`找不到备份文件：${file}`, `no such file: ${file}`),
    );
  const postgres = !!target.databaseUrl && /^postgres(ql)?:/.test(target.databaseUrl);
  const damaged = (reason: string) =>
    new DomainError(
      'invalid',
      reason,
      text(
        `备份文件损坏或不完整，未作任何改动：${reason}`,
        `the archive is damaged or incomplete, nothing was changed: ${reason}`,
      ),
    );
  // read through once before anything else: a damaged archive is refused with nothing half-extracted
  const read = await verifyBackup(file, opts.key);
  if (!read.ok) throw damaged(read.reason);
  const there = await whatIsThere(target.dataDir, target.databaseUrl);
  if (there.length && !opts.force)
    throw new DomainError(
      'conflict',
      `the target is not empty: ${there.join('; ')}`,
      text(
        `目标不是空的，未作任何改动：${there.join('；')}。恢复会覆盖现有数据；确要覆盖请加 --force。`,
        `the target is not empty, nothing was changed: ${there.join('; ')}. A restore replaces what is there; add --force to overwrite it.`,
      ),
    );
  await mkdir(target.dataDir, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(join(target.dataDir, '.restore-'));
  try {
    try {
      await tar.x({ file, cwd: staging, strict: true } as tar.TarOptionsWithAliasesAsyncFile);
    } catch (e) {
      throw damaged(`the archive is damaged or truncated: ${(e as Error).message}`);
    }
    const v = await verifyExtracted(staging, opts.key);
    if (!v.ok) throw damaged(v.reason);
    const m = v.manifest;
    if ((m.database === 'postgres') !== postgres)
      throw new DomainError(
        'invalid',
        `the archive holds a ${m.database} database`,
        text(
          `该备份是 ${m.database === 'postgres' ? 'PostgreSQL' : 'SQLite'} 数据库的，只能恢复到同类数据库`,
          `the archive holds a ${m.database === 'postgres' ? 'PostgreSQL' : 'SQLite'} database: restore it into the same kind`,
        ),
      );
    if (!migrationNames().includes(m.schemaVersion))
      throw new DomainError(
        'invalid',
        `unknown schema version ${m.schemaVersion}`,
        text(
          `该备份来自更新的版本（数据库版本 ${m.schemaVersion}），请用同一或更新版本的 QuotaDesk 恢复`,
          `the archive comes from a newer version (schema ${m.schemaVersion}): restore it with that version of QuotaDesk or a later one`,
        ),
      );
    // the database
    if (postgres) {
      const db = connect({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
      try {
        await dropAllTables(db);
      } finally {
        await db.destroy();
      }
      await pgRestore(target.databaseUrl!, join(staging, PG_MEMBER));
    } else {
      for (const f of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`])
        await rm(join(target.dataDir, f), { force: true });
      await rename(join(staging, SQLITE_MEMBER), join(target.dataDir, SQLITE_FILE));
    }
    // the raw uploads
    const uploadsDir = join(target.dataDir, 'uploads');
    await rm(uploadsDir, { recursive: true, force: true });
    await mkdir(uploadsDir, { recursive: true, mode: 0o700 });
    const uploads = m.members.filter((x) => x.path.startsWith('uploads/'));
    for (const x of uploads) await rename(join(staging, x.path), join(target.dataDir, x.path));
    // the checkpoints
    await rm(checkpointFile(target.dataDir), { force: true });
    if (m.members.some((x) => x.path === OWN_CHECKPOINTS))
      await rename(join(staging, OWN_CHECKPOINTS), checkpointFile(target.dataDir));
    const others = m.members.filter((x) => x.path.startsWith('checkpoints/other/'));
    const otherCheckpoints: string[] = [];
    if (others.length) {
      const dir = join(target.dataDir, 'restored-checkpoints');
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const x of others) {
        const to = join(dir, basename(x.path));
        await rename(join(staging, x.path), to);
        otherCheckpoints.push(to);
      }
    }
    const db = connect({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
    let migrated: string[];
    try {
      migrated = await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    return { manifest: m, uploadFiles: uploads.length, migrated, otherCheckpoints };
  } finally {
    await rm(staging, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Removes all but the newest `keep` archives in `dir` (names sort by time); returns the names removed. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => ARCHIVE_NAME.test(n)).sort();
  const gone = names.slice(0, Math.max(0, names.length - keep));
  for (const n of gone) await rm(join(dir, n), { force: true });
  return gone;
}

/** The newest archive in `dir`, and when it was written. */
export async function newestBackup(dir: string): Promise<{ file: string; at: Date } | null> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => ARCHIVE_NAME.test(n)).sort();
  const last = names[names.length - 1];
  if (!last) return null;
  return { file: join(dir, last), at: (await stat(join(dir, last))).mtime };
}
