/**
 * `quota backup [--to DIR]`, `quota backup verify ARCHIVE`, `quota restore ARCHIVE [--force]`
 * (server/services/backup.ts; docs/operations.md "Backup and restore").
 * Exit codes: 0 done; 2 an archive that fails verification, a target that is not empty, a usage error; 1 a fault.
 */
import type { Knex } from 'knex';
import { connect } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import type { Config } from '../config';
import { loadConfig } from '../config';
import { checkpointKey, checkpointSources } from '../services/audit-checkpoint';
import { createBackup, restoreBackup, verifyBackup } from '../services/backup';
import { DomainError } from '../services/errors';
import { UsageError } from './arguments';

type Io = { out: (s: string) => void; err: (s: string) => void };
type Values = Record<string, string | boolean | string[] | undefined>;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export async function backupCommand(
  command: 'backup' | 'restore',
  values: Values,
  positionals: string[],
  io: Io,
  config: Config = loadConfig(),
): Promise<number> {
  if (command === 'restore') return restore(positionals[0], !!values.force, io, config);
  if (positionals.length === 0) return backup((values.to as string | undefined) ?? config.backup.dir, io, config);
  if (positionals[0] !== 'verify' || positionals.length !== 2)
    throw new UsageError(
      `quota backup [--to DIR] | quota backup verify ARCHIVE：参数有误 / bad arguments: ${positionals.join(' ')}`,
    );
  const v = await verifyBackup(positionals[1], checkpointKey(config.sessionSecret));
  if (!v.ok) {
    io.out(`备份文件无效 / archive INVALID: ${v.reason}`);
    return 2;
  }
  const m = v.manifest;
  io.out(
    `备份文件完整 / archive intact: ${m.members.length} members checked (${m.database}, schema ${m.schemaVersion}, ` +
      `${m.uploadFiles} upload files, made ${m.createdAt})`,
  );
  return 0;
}

async function backup(dir: string, io: Io, config: Config): Promise<number> {
  const db: Knex = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateLatest(db);
    const started = Date.now();
    const r = await createBackup(
      {
        db,
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        checkpointKey: checkpointKey(config.sessionSecret),
        checkpointSources: checkpointSources(config.dataDir),
      },
      dir,
    );
    io.out(
      `已写入备份 / backup written: ${r.file} (${mb(r.bytes)}, ${r.manifest.members.length} members, ` +
        `${r.manifest.uploadFiles} upload files, schema ${r.manifest.schemaVersion}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

async function restore(file: string, force: boolean, io: Io, config: Config): Promise<number> {
  try {
    const r = await restoreBackup(
      file,
      { dataDir: config.dataDir, databaseUrl: config.databaseUrl },
      { force, key: checkpointKey(config.sessionSecret) },
    );
    io.out(
      `已恢复 / restored: ${r.manifest.database} database (schema ${r.manifest.schemaVersion}` +
        (r.migrated.length ? `, then migrated: ${r.migrated.join(', ')}` : '') +
        `), ${r.uploadFiles} upload files, audit checkpoints, from the backup of ${r.manifest.createdAt}` +
        ` into ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}`,
    );
    if (r.otherCheckpoints.length)
      io.out(
        `其他实例的校验点 / other instances' checkpoints: ${r.otherCheckpoints.join(', ')} (name them in AUDIT_CHECKPOINTS)`,
      );
    io.out('请运行 quota audit verify 核对审计日志 / now run quota audit verify');
    return 0;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    io.err(`${e.userText?.zh ?? e.message}\n${e.userText?.en ?? e.message}\n`);
    return 2;
  }
}
