/**
 * The timed half of the recompute benchmark, in a fresh process so its peak RSS is its own: the app's
 * services on the seeded database, then the social average wage entered as the administrator's form does
 * (server/routes/procedure.ts) and the recompute followed to its end. Prints {ms, cpuMs, peakMB, summary}.
 * argv: dataDir, databaseUrl ('' for SQLite), year, wage.
 */
import { connect } from '../../db/connection';
import { createServices } from '../../server/services';
import { loadConfig } from '../../server/config';

async function run() {
  const [dataDir, databaseUrl, yearText, wage] = process.argv.slice(2);
  const db = connect({ databaseUrl: databaseUrl || null, dataDir });
  const config = loadConfig({
    dataDir,
    databaseUrl: databaseUrl || null,
    sessionSecret: 'bench-secret',
    uploadStorage: 'files',
  });
  const services = createServices({ db, config, log: () => undefined });
  const admin = (await services.accounts.byUsername('bench.admin'))!;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const out = await services.procedure.enterSocialAverageWage(
    admin,
    Number(yearText),
    wage,
    '基准测试值（非官方数据）',
    'zh',
  );
  if (!out.ok) throw new Error(out.problems.join('; '));
  // the form's page waits a moment, then shows the run's progress; here: followed to its end
  const run = await services.procedure.settleRecompute(out.run.id, 24 * 3600 * 1000);
  if (run?.status !== 'done') throw new Error(`the recompute ended ${run?.status}`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const peakMB = process.resourceUsage().maxRSS / 1024;
  await services.close();
  await db.destroy();
  process.stdout.write(
    JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, peakMB, summary: run.summary, total: run.total }) +
      '\n',
  );
}

run().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
