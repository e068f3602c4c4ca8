/**
 * The only file with start-up side effects: config → database → migrate → demo data (empty database
 * only) → recover interrupted uploads → listen. Prints the URL and the demo logins.
 */
import { connect } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { DEMO_PASSWORD, seedDemo } from '../db/demo/seed-demo';
import { findEmployerById } from '../db/stores/employers';
import { createApp, createServices } from './app';
import { loadConfig } from './config';
import { makeLog } from './middleware/log';

async function main() {
  const config = loadConfig();
  const log = makeLog();
  const db = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateLatest(db);
  const services = createServices({ db, config, log });
  const logins = process.env.DEMO === '0' ? null : await seedDemo(db, services.uploads, config.dataDir);
  const recovered = await services.uploads.recover((id) => findEmployerById(db, id));
  if (recovered) log('recovered interrupted uploads', { count: recovered });
  const app = createApp(services);
  const server = app.listen(config.port, () => {
    const url = `http://localhost:${config.port}/`;
    const lines = [`QuotaDesk 已启动 / listening on ${url}  (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`];
    if (logins) {
      lines.push(`演示账号 / demo logins (password / 密码: ${DEMO_PASSWORD}):`);
      for (const l of logins) lines.push(`  ${l.username.padEnd(20)} ${l.role} — ${l.scope}`);
    } else {
      lines.push(`演示账号 / demo logins: admin, officer.haining, officer.tongxiang, employer.a, employer.b … (password / 密码: ${DEMO_PASSWORD}, if the demo data was seeded)`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  });
  const stop = () => server.close(() => void db.destroy().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`启动失败 / start-up failed: ${(e as Error).message}\n`);
  process.exit(1);
});
