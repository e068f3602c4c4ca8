/**
 * The `quota` command line.
 *   quota check FILE [--json] [--lang zh|en] [--annotate OUT.xlsx] [--collection-date D] [--set k=v …]
 *               [--name … --uscc … --county … --unit-type … --founded … --year …]   (CSV only)
 *               [--tax-form] [--social-average-wage N] [--already-paid A]
 *   quota late-fee --amount A --due YYYY-MM-DD --paid YYYY-MM-DD [--json]
 *   quota params [--date D] [--json]
 *   quota template FILE.xlsx [--year Y]
 * Exit codes: 0 a result, 2 a workbook with problems (nothing computed), 1 an internal failure.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatProblems, formatResult } from './cli/format-text';
import { parseAmount, runCheck, UsageError } from './cli/run-check';
import { formatTaxForm } from './cli/format-tax-form';
import { lateFee } from './rules/late-fee';
import { shippedParameters } from './params/load-parameters';
import { formatParams } from './cli/format-params';
import type { Lang } from './ingest/messages';
import { t } from './i18n/t';
import { writeTemplate } from './ingest/template';
import { connect } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { verifyAudit } from '../db/stores/audit';
import type { Knex } from 'knex';
import { loadConfig, type Config } from './config';
import { todayInChina } from './services/notices';
import { purgeExpired } from './services/retention';
import { createAdministrator, MIN_PASSWORD_LENGTH } from './services/admin-accounts';
import { promptHidden, readStdin } from './cli/secret';

const USAGE = `用法 / usage:
  quota check FILE [--json] [--lang zh|en] [--annotate OUT.xlsx] [--collection-date YYYY-MM-DD] [--set key=value]
              [--unmask] [--tax-form] [--social-average-wage 元/年] [--already-paid 元]
              CSV: --name --uscc --county --unit-type --founded --year [--wage-total …]
  quota late-fee --amount 元 --due YYYY-MM-DD --paid YYYY-MM-DD [--json]   late fee on unpaid levy (5 ‰ a day)
  quota params [--date YYYY-MM-DD] [--json]
  quota template FILE.xlsx [--year YYYY]
  quota audit verify          (DATA_DIR / DATABASE_URL as for the web app; exit 2 when the chain is broken)
  quota retention purge [--dry-run] [--date YYYY-MM-DD]   delete raw uploads past the retention period
  quota admin create USERNAME [--display-name NAME] [--password-stdin]
                              create an administrator; the password is typed (not echoed) or read from stdin`;

const NOT_ANNOTATED = { 'nothing-to-mark': 'cli.annotate.nothingToMark', 'not-xlsx': 'cli.annotate.notXlsx' } as const;

export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void; isTTY: boolean }): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' }, lang: { type: 'string' }, annotate: { type: 'string' }, date: { type: 'string' },
      'collection-date': { type: 'string' }, set: { type: 'string', multiple: true }, unmask: { type: 'boolean' },
      name: { type: 'string' }, uscc: { type: 'string' }, county: { type: 'string' }, 'unit-type': { type: 'string' },
      founded: { type: 'string' }, year: { type: 'string' }, 'wage-total': { type: 'string' }, 'blind-massage': { type: 'string' },
      'auxiliary-employment': { type: 'string' }, ecommerce: { type: 'string' }, 'poverty-relief-base': { type: 'string' },
      'families-supported': { type: 'string' }, 'tax-preference': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' }, 'tax-form': { type: 'boolean' }, 'social-average-wage': { type: 'string' },
      'already-paid': { type: 'string' }, amount: { type: 'string' }, due: { type: 'string' }, paid: { type: 'string' },
      'display-name': { type: 'string' }, 'password-stdin': { type: 'boolean' },
    },
  });
  const lang: Lang = values.lang === 'en' ? 'en' : 'zh';
  if (!command || values.help) { io.out(USAGE); return command ? 0 : 1; }

  switch (command) {
    case 'check': {
      const file = positionals[0];
      if (!file) { io.err(USAGE); return 1; }
      if (!existsSync(file)) { io.err(`找不到文件 / file not found: ${file}\n`); return 1; }
      const progress = io.isTTY && !values.json ? (n: number) => io.err(`\r已读取 ${n} 行… / ${n} rows read`) : undefined;
      const started = Date.now();
      try {
        for (const opt of ['social-average-wage', 'already-paid'] as const) if (values[opt] !== undefined) parseAmount(values[opt]!, `--${opt}`);
      } catch (e) {
        if (e instanceof UsageError) { io.err(`${e.message}\n`); return 1; }
        throw e;
      }
      const outcome = await runCheck(file, {
        lang, annotate: values.annotate, collectionDate: values['collection-date'], set: values.set ?? [],
        socialAverageWage: values['social-average-wage'], alreadyPaid: values['already-paid'],
        employerFields: {
          name: values.name, uscc: values.uscc, county: values.county, unitType: values['unit-type'], founded: values.founded,
          year: values.year, wageTotal: values['wage-total'], blindMassage: values['blind-massage'],
          auxiliaryEmployment: values['auxiliary-employment'], ecommerce: values.ecommerce,
          povertyReliefBase: values['poverty-relief-base'], familiesSupported: values['families-supported'], taxPreference: values['tax-preference'],
        },
        onProgress: progress && ((n) => { if (Date.now() - started > 500) progress(n); }),
      });
      if (progress && Date.now() - started > 500) io.err(`\r${' '.repeat(40)}\r`);
      const annotation = () => {
        if (outcome.annotated) io.err(`已写出标注工作簿 / annotated workbook written: ${outcome.annotated}\n`);
        else if (outcome.notAnnotated) io.err(t(NOT_ANNOTATED[outcome.notAnnotated], lang) + '\n');
      };
      if (outcome.kind === 'problems') {
        io.out(values.json ? JSON.stringify({ problems: outcome.problems, problemTotals: outcome.problemTotals }, null, 2) : formatProblems(outcome.problems, lang, outcome.problemTotals));
        annotation();
        return 2;
      }
      io.out(values.json ? JSON.stringify(outcome.result, null, 2)
        : values['tax-form'] ? formatTaxForm(outcome.result, lang)
          : formatResult(outcome.result, lang, { unmask: values.unmask }));
      annotation();
      return 0;
    }
    case 'late-fee': {
      const { amount, due, paid } = values;
      if (!amount || !due || !paid) { io.err(USAGE); return 1; }
      let r;
      try {
        r = lateFee(parseAmount(amount, '--amount'), due, paid, shippedParameters());
      } catch (e) {
        if (e instanceof UsageError || e instanceof RangeError) { io.err(`${e.message}\n`); return 1; }
        throw e;
      }
      if (values.json) { io.out(JSON.stringify(r, null, 2)); return 0; }
      io.out(r.fee.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
      io.err(`${lang === 'zh' ? `滞纳天数 ${r.days} 天：` : `${r.days} days: `}${r.explanation.formula}\n`);
      return 0;
    }
    case 'params': {
      io.out(formatParams(values.date ?? new Date().toISOString().slice(0, 10), lang, !!values.json));
      return 0;
    }
    case 'template': {
      const file = positionals[0];
      if (!file) { io.err(USAGE); return 1; }
      await writeTemplate(file, { year: values.year ? Number(values.year) : undefined });
      io.out(`已生成模板 / template written: ${file}`);
      return 0;
    }
    case 'audit': {
      if (positionals[0] !== 'verify') { io.err(USAGE); return 1; }
      return withDatabase(async (db) => {
        const r = await verifyAudit(db);
        io.out(r.ok ? `审计日志完整 / audit chain intact: ${r.checked} entries` : `审计日志被篡改 / audit chain BROKEN at entry ${r.brokenAt}: ${r.reason} (${r.checked} entries verified before it)`);
        return r.ok ? 0 : 2;
      });
    }
    case 'admin': {
      const username = positionals[1];
      if (positionals[0] !== 'create' || !username) { io.err(USAGE); return 1; }
      const password = values['password-stdin'] ? await readStdin()
        : process.stdin.isTTY ? await promptHidden(`${t('cli.admin.password', lang, { min: MIN_PASSWORD_LENGTH })} `) : null;
      if (password === null) { io.err(`${t('cli.admin.noTerminal', lang)}\n`); return 1; }
      return withDatabase(async (db) => {
        const r = await createAdministrator(db, username, password, values['display-name'] ?? '');
        if (!r.ok) { io.err(`${t(`cli.admin.${r.error}`, lang, { min: MIN_PASSWORD_LENGTH, username })}\n`); return 2; }
        io.out(t('cli.admin.created', lang, { username }));
        return 0;
      });
    }
    case 'retention': {
      if (positionals[0] !== 'purge') { io.err(USAGE); return 1; }
      return withDatabase(async (db, config) => {
        const today = values.date ?? todayInChina();
        const { purged, policy } = await purgeExpired(db, config.dataDir, 'quota retention purge', today, !!values['dry-run']);
        const rule = policy.mode === 'days' ? `${policy.days} 天 / days after upload` : `公示期结束后 ${policy.correctionWindowDays} 天 / ${policy.correctionWindowDays} days after the notice period`;
        io.out(`${values['dry-run'] ? '将删除 / would delete' : '已删除 / deleted'} ${purged.length} 个原始上传文件 / raw uploads (保留规则 / rule: ${rule}; ${today})`);
        for (const x of purged) io.out(`  ${x.uploadId}  到期 / expired ${x.expiresOn}`);
        return 0;
      });
    }
    default:
      io.err(`未知命令 / unknown command: ${command}\n${USAGE}`);
      return 1;
  }
}

/** The web app's database (DATA_DIR / DATABASE_URL), migrated, for one command. */
async function withDatabase(f: (db: Knex, config: Config) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const db = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateLatest(db);
    return await f(db, config);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s), isTTY: !!process.stderr.isTTY })
    .then((code) => { process.exitCode = code; })
    .catch((err: Error) => {
      process.stderr.write(`内部错误 / internal error: ${err.message}\n`);
      process.exitCode = 1;
    });
}
