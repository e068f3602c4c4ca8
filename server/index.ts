/**
 * The only file with start-up side effects: config → storage probe → database → migrate → demo data
 * (empty database only) → recover interrupted uploads → listen. Prints the URL and the demo logins.
 * A data directory that cannot be written puts the app in maintenance (server/maintenance.ts) until it can.
 */
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { createApp, createServices } from './app';
import { checkpointKey, writeCheckpoint } from './services/audit-checkpoint';
import { loadConfig, type Config } from './config';
import { startMaintenance } from './maintenance';
import { DEMO_PASSWORD } from './services/passwords';
import { probeStorage, storageFault } from './storage';
import { errorSummary, makeLog, type Log } from './middleware/log';

async function main() {
  const config = loadConfig();
  const log = makeLog();
  // a promise nobody awaited that failed (a storage fault in background work, a bug): logged, and the
  // process keeps serving — one failed job must not take every user's session down with it
  process.on('unhandledRejection', (e) =>
    log('unhandled rejection', { error: errorSummary(e), fault: storageFault(e) }),
  );
  // what the app writes (database, uploads, temporary files, checkpoints) is readable by its own user only
  process.umask(0o077);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
  await chmod(config.dataDir, 0o700).catch(() => undefined);
  const fault = await probeStorage(config.dataDir);
  if (fault) {
    const every = config.storageProbeSeconds;
    process.stderr.write(
      `数据目录无法写入 / data directory not writable (${fault.fault}): ${config.dataDir} — ${fault.message}\n` +
        `QuotaDesk 暂停服务，每 ${every} 秒重试 / serving a maintenance page on port ${config.port}, retrying every ${every} s\n`,
    );
    const m = startMaintenance(config.port, fault.fault, fault.message);
    const timer = setInterval(() => {
      void probeStorage(config.dataDir).then((again) => {
        if (again) return;
        clearInterval(timer);
        process.stderr.write('数据目录已可写入，正常启动 / data directory writable again: starting\n');
        m.close(() => void boot(config, log).catch(fail));
      });
    }, every * 1000);
    return;
  }
  await boot(config, log);
}

/** Temporary files left by a process that stopped mid-request (uploads being received, annotated copies). */
async function removeOrphanedTemp(dataDir: string, olderThanMs: number, log: Log) {
  const dir = join(dataDir, 'tmp');
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const n of names) {
    const p = join(dir, n);
    const st = await stat(p).catch(() => null);
    if (st?.isFile() && Date.now() - st.mtimeMs > olderThanMs) {
      await rm(p, { force: true });
      removed++;
    }
  }
  if (removed) log('orphaned temporary files removed', { count: removed });
}

async function boot(config: Config, log: Log) {
  // another instance sharing DATA_DIR may be receiving a file right now: only files idle for an hour go
  await removeOrphanedTemp(config.dataDir, config.tempOrphanSeconds * 1000, log);
  const db = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateLatest(db);
  const services = createServices({ db, config, log });
  // demo data (published passwords) only where asked for: by default in development, in production only with DEMO=1
  // (the demo module itself, with its workbook writer, is loaded only when it seeds an empty database)
  const demo = config.demo && (await services.accounts.count()) === 0 ? await import('./demo/seed-demo') : null;
  const logins = demo ? await demo.seedDemo(services, config.dataDir) : null;
  const noUsers = (await services.accounts.count()) === 0;
  services.metrics.withProcessMetrics();
  const app = createApp(services);
  const server = app.listen(config.port, () => {
    // the calculator's worker threads start once the app answers, not before
    services.apiChecks.warm();
    const url = `http://localhost:${config.port}/`;
    const lines = [
      `QuotaDesk 已启动 / listening on ${url}  (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`,
    ];
    if (logins) {
      lines.push(`演示账号 / demo logins (password / 密码: ${DEMO_PASSWORD}):`);
      for (const l of logins) lines.push(`  ${l.username.padEnd(20)} ${l.role} — ${l.scope}`);
    } else if (noUsers) {
      lines.push(
        '还没有任何用户：请运行 `npx quota admin create 用户名` 创建第一个管理员 / no users yet: create the first administrator with `npx quota admin create USERNAME`',
      );
    } else if (config.demo || !config.production) {
      lines.push(
        `演示账号 / demo logins: admin, officer.haining, officer.tongxiang, employer.a, employer.b … (password / 密码: ${DEMO_PASSWORD}, if the demo data was seeded)`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  });
  // uploads interrupted by a stopped process: processed again once silent for RECOVER_AFTER_SECONDS
  const staleMs = config.recoverAfterSeconds * 1000;
  const recover = () =>
    services.uploads
      .recover((id) => services.employers.byId(id), staleMs)
      .then((n) => {
        if (n) log('recovered interrupted uploads', { count: n });
      })
      .catch((e) => log('upload recovery failed', { error: errorSummary(e) }));
  void recover();
  setInterval(() => void recover(), Math.max(staleMs, 5000)).unref();
  // a year's recompute interrupted by a stopped process (or another instance's): resumed after its last page
  const resume = () =>
    services.procedure.resumeRecomputes().catch((e) => log('recompute resume failed', { error: errorSummary(e) }));
  void resume();
  setInterval(() => void resume(), 30_000).unref();
  // the audit chain's head, signed, outside the database: deleting the last entries then shows (quota audit verify)
  const key = checkpointKey(config.sessionSecret);
  const checkpoint = () =>
    writeCheckpoint(db, config.dataDir, key).catch((e) => {
      log('audit checkpoint failed', { error: errorSummary(e) });
      return null;
    });
  void checkpoint();
  setInterval(() => void checkpoint(), config.auditCheckpointSeconds * 1000).unref();
  // the scheduled backup (BACKUP_EVERY_HOURS): each minute every instance asks whether a turn is due; one takes it
  if (services.backups.enabled) {
    let running = false;
    const backup = () => {
      if (running) return;
      running = true;
      void services.backups
        .tick()
        .then((r) => {
          if (r.file) log('backup written', { file: r.file, pruned: r.pruned?.length ?? 0 });
        })
        .catch((e) => log('scheduled backup failed', { error: errorSummary(e), fault: storageFault(e) }))
        .finally(() => {
          running = false;
        });
    };
    backup();
    setInterval(backup, 60_000).unref();
  }
  const stop = () =>
    server.close(
      () =>
        void checkpoint()
          .then(() => services.close())
          .then(() => db.destroy())
          .then(() => process.exit(0)),
    );
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function fail(e: unknown) {
  process.stderr.write(`启动失败 / start-up failed: ${(e as Error).message}\n`);
  process.exit(1);
}

main().catch(fail);
