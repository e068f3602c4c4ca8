/**
 * The `quota` command line.
 *   quota check FILE [--json] [--lang zh|en] [--annotate OUT.xlsx] [--collection-date D] [--set k=v …]
 *               [--name … --uscc … --county … --unit-type … --founded … --year …]   (CSV only)
 *               [--tax-form] [--social-average-wage N] [--already-paid A]
 *   quota late-fee --amount A --due YYYY-MM-DD --paid YYYY-MM-DD [--json]
 *   quota params [--date D] [--json]
 *   quota template FILE.xlsx [--year Y]
 *   quota db migrate | rollback;  quota help | --help
 * Exit codes: 0 a result, 2 a workbook with problems (nothing computed), a file that cannot be read or a usage
 * error (unknown command or option, bad flag value), 1 an internal failure.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatProblems, formatResult } from './cli/format-text';
import { parseAmount, parseSettings, UsageError, type Outcome, type RunOptions } from './cli/run-check';
import { CSV_FLAG } from './ingest';
import { ProblemList } from './ingest/problem';
import { resolveSettings } from './rules/interpretations';
import { isValidISODate } from './rules/calendar';
import { UploadPool, WorkerLimitError } from './workers/upload-pool';
import { formatTaxForm } from './cli/format-tax-form';
import { lateFee } from './rules/late-fee';
import { shippedParameters } from './params/load-parameters';
import { formatParams } from './cli/format-params';
import type { Lang } from './ingest/messages';
import { t } from './i18n/t';
import { writeTemplate } from './ingest/template';
import { connect, isPostgres } from '../db/connection';
import { migrateLatest, rollbackAll } from '../db/migrate';
import { verifyAudit } from '../db/stores/audit';
import { checkpointKey, checkpointSources, verifyCheckpoints, writeCheckpoint } from './services/audit-checkpoint';
import type { Knex } from 'knex';
import { loadConfig, type Config } from './config';
import { todayInChina } from './services/notices';
import { purgeExpired } from './services/retention';
import { uploadFilesFor } from './services/upload-files';
import { createAdministrator, MIN_PASSWORD_LENGTH } from './services/admin-accounts';
import { promptHidden, readStdin } from './cli/secret';

const USAGE = `用法 / usage:
  quota check FILE [--json] [--lang zh|en] [--annotate OUT.xlsx] [--collection-date YYYY-MM-DD] [--set key=value]
              [--unmask] [--tax-form] [--social-average-wage 元/年] [--already-paid 元]
              CSV: --name --uscc --county --unit-type --founded --year [--wage-total …]
  quota late-fee --amount 元 --due YYYY-MM-DD --paid YYYY-MM-DD [--json]   late fee on unpaid levy (the daily rate in force)
  quota params [--date YYYY-MM-DD] [--json]
  quota template FILE.xlsx [--year YYYY]
  quota audit verify [--checkpoints DIR|FILE]…
                              (DATA_DIR / DATABASE_URL as for the web app; exit 2 when the chain is broken or truncated)
                              several instances: each one's DATA_DIR or copied checkpoint file (or AUDIT_CHECKPOINTS=a,b)
  quota audit checkpoint      write a signed checkpoint of the chain's head (the web app writes one every minute)
  quota retention purge [--dry-run] [--date YYYY-MM-DD]   delete raw uploads past the retention period
  quota admin create USERNAME [--display-name NAME] [--password-stdin]
                              create an administrator; the password is typed (not echoed) or read from stdin
  quota db migrate | rollback  run the database migrations not yet run, or undo them all (npm run db:migrate)
  quota help, quota --help     this text
Exit codes: 0 done; 2 a workbook with problems, a file that cannot be read, or a usage error; 1 an internal failure.`;

const NOT_ANNOTATED = { 'nothing-to-mark': 'cli.annotate.nothingToMark', 'not-xlsx': 'cli.annotate.notXlsx' } as const;

type Io = { out: (s: string) => void; err: (s: string) => void; isTTY: boolean };
type Options = NonNullable<ParseArgsConfig['options']>;

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const COMMON: Options = { help: { type: 'boolean', short: 'h' }, lang: str };
/** The employer fields a CSV roster needs, as flags (--name, --unit-type, …). */
const CSV_OPTIONS: Options = Object.fromEntries(Object.values(CSV_FLAG).map((f) => [f.slice(2), str]));

/** Each command's options and how many positional arguments it takes; anything else is a usage error. */
const COMMANDS: Record<string, { options: Options; positionals: [min: number, max: number] }> = {
  check: {
    options: {
      ...COMMON,
      ...CSV_OPTIONS,
      json: bool,
      annotate: str,
      'collection-date': str,
      set: { type: 'string', multiple: true },
      unmask: bool,
      'tax-form': bool,
      'social-average-wage': str,
      'already-paid': str,
    },
    positionals: [1, 1],
  },
  'late-fee': { options: { ...COMMON, json: bool, amount: str, due: str, paid: str }, positionals: [0, 0] },
  params: { options: { ...COMMON, json: bool, date: str }, positionals: [0, 0] },
  template: { options: { ...COMMON, year: str }, positionals: [1, 1] },
  audit: { options: { ...COMMON, checkpoints: { type: 'string', multiple: true } }, positionals: [1, 1] },
  retention: { options: { ...COMMON, 'dry-run': bool, date: str }, positionals: [1, 1] },
  db: { options: COMMON, positionals: [1, 1] },
  admin: { options: { ...COMMON, 'display-name': str, 'password-stdin': bool }, positionals: [2, 2] },
  help: { options: COMMON, positionals: [0, 1] },
};

const SUBCOMMANDS: Record<string, string[]> = {
  audit: ['verify', 'checkpoint'],
  retention: ['purge'],
  db: ['migrate', 'rollback'],
  admin: ['create'],
};

const HELP_POINTER = '运行 quota --help 查看用法 / run quota --help for usage';

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${HELP_POINTER}\n`);
    return 2;
  }
}

/** A date flag: YYYY-MM-DD and a real day. */
function dateFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isValidISODate(value))
    throw new UsageError(`${flag}：应为日期 YYYY-MM-DD / ${flag} expects a date YYYY-MM-DD (got "${value}")`);
  return value;
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('缺少命令 / no command given');
  if (command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`未知命令 / unknown command: ${command}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: spec.options });
  } catch (e) {
    // node's messages name the option: "Unknown option '--x'", "Option '--lang <value>' argument missing"
    throw new UsageError(`选项有误 / bad option: ${(e as Error).message.split('. ')[0]}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const positionals = parsed.positionals;
  if (values.help || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  const [min, max] = spec.positionals;
  if (positionals.length < min) throw new UsageError(`${command}：缺少参数 / missing argument`);
  if (positionals.length > max)
    throw new UsageError(`${command}：多余的参数 / unexpected argument: ${positionals[max]}`);
  const sub = SUBCOMMANDS[command];
  if (sub && !sub.includes(positionals[0]))
    throw new UsageError(`quota ${command} ${sub.join(' | ')}：未知子命令 / unknown subcommand: ${positionals[0]}`);
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en')
    throw new UsageError(`--lang：应为 zh 或 en / --lang expects zh or en (got "${values.lang}")`);
  const lang: Lang = values.lang === 'en' ? 'en' : 'zh';
  return commands(command, values, positionals, lang, io);
}

async function commands(
  command: string,
  values: Record<string, string | boolean | string[] | undefined>,
  positionals: string[],
  lang: Lang,
  io: Io,
): Promise<number> {
  const text = (k: string) => values[k] as string | undefined;
  switch (command) {
    case 'check': {
      const file = positionals[0];
      const collectionDate = dateFlag(text('collection-date'), '--collection-date');
      const set = (values.set as string[] | undefined) ?? [];
      try {
        resolveSettings(parseSettings(set, collectionDate));
      } catch (e) {
        throw new UsageError(`--set：${(e as Error).message}`);
      }
      for (const opt of ['social-average-wage', 'already-paid'] as const)
        if (text(opt) !== undefined) parseAmount(text(opt)!, `--${opt}`);
      if (!existsSync(file)) {
        io.err(`找不到文件 / file not found: ${file}\n`);
        return 1;
      }
      const progress =
        io.isTTY && !values.json ? (n: number) => io.err(`\r已读取 ${n} 行… / ${n} rows read`) : undefined;
      const started = Date.now();
      const employerFields = Object.fromEntries(
        Object.entries(CSV_FLAG).map(([key, flag]) => [key, text(flag.slice(2))]),
      );
      const outcome = await checkInWorker(
        file,
        {
          lang,
          annotate: text('annotate'),
          collectionDate,
          set,
          socialAverageWage: text('social-average-wage'),
          alreadyPaid: text('already-paid'),
          employerFields,
        },
        progress &&
          ((n) => {
            if (Date.now() - started > 500) progress(n);
          }),
      );
      if (progress && Date.now() - started > 500) io.err(`\r${' '.repeat(40)}\r`);
      if (outcome.kind === 'refused') {
        io.out(
          values.json
            ? JSON.stringify({ problems: outcome.list.items, problemTotals: outcome.list.totals }, null, 2)
            : formatProblems(outcome.list.items, lang, outcome.list.totals),
        );
        return 2;
      }
      const annotation = () => {
        if (outcome.annotated) io.err(`已写出标注工作簿 / annotated workbook written: ${outcome.annotated}\n`);
        else if (outcome.notAnnotated) io.err(t(NOT_ANNOTATED[outcome.notAnnotated], lang) + '\n');
      };
      if (outcome.kind === 'problems') {
        io.out(
          values.json
            ? JSON.stringify({ problems: outcome.problems, problemTotals: outcome.problemTotals }, null, 2)
            : formatProblems(outcome.problems, lang, outcome.problemTotals),
        );
        annotation();
        return 2;
      }
      io.out(
        values.json
          ? JSON.stringify(outcome.result, null, 2)
          : values['tax-form']
            ? formatTaxForm(outcome.result, lang)
            : formatResult(outcome.result, lang, { unmask: !!values.unmask }),
      );
      annotation();
      return 0;
    }
    case 'late-fee': {
      const amount = text('amount'),
        due = dateFlag(text('due'), '--due'),
        paid = dateFlag(text('paid'), '--paid');
      if (!amount || !due || !paid)
        throw new UsageError('late-fee：需要 --amount、--due 和 --paid / late-fee needs --amount, --due and --paid');
      let r;
      try {
        r = lateFee(parseAmount(amount, '--amount'), due, paid, shippedParameters());
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(e.message);
        throw e;
      }
      if (values.json) {
        io.out(JSON.stringify(r, null, 2));
        return 0;
      }
      io.out(r.fee.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
      io.err(`${lang === 'zh' ? `滞纳天数 ${r.days} 天：` : `${r.days} days: `}${r.explanation.formula}\n`);
      return 0;
    }
    case 'params': {
      io.out(
        formatParams(dateFlag(text('date'), '--date') ?? new Date().toISOString().slice(0, 10), lang, !!values.json),
      );
      return 0;
    }
    case 'template': {
      const file = positionals[0];
      const year = text('year');
      if (year !== undefined && !/^\d{4}$/.test(year))
        throw new UsageError(`--year：应为4位年份 / --year expects a 4-digit year (got "${year}")`);
      await writeTemplate(file, { year: year ? Number(year) : undefined });
      io.out(`已生成模板 / template written: ${file}`);
      return 0;
    }
    case 'audit': {
      return withDatabase(async (db, config) => {
        const key = checkpointKey(config.sessionSecret);
        if (positionals[0] === 'checkpoint') {
          const c = await writeCheckpoint(db, config.dataDir, key);
          io.out(
            c
              ? `已写入校验点 / checkpoint written: ${c.count} entries, last ${c.lastId}`
              : '校验点已是最新 / checkpoint already up to date',
          );
          return 0;
        }
        const r = await verifyAudit(db);
        if (!r.ok) {
          io.out(
            `审计日志被篡改 / audit chain BROKEN at entry ${r.brokenAt}: ${r.reason} (${r.checked} entries verified before it)`,
          );
          return 2;
        }
        // the chain alone cannot show its last entries deleted: the signed checkpoints outside the database can
        // several instances: each one's checkpoints (its DATA_DIR or a copy of its file), by flag or AUDIT_CHECKPOINTS
        const flagged = (values.checkpoints as string[] | undefined) ?? [];
        const sources = flagged.length ? flagged : checkpointSources(config.dataDir);
        const named = flagged.length > 0 || !!process.env.AUDIT_CHECKPOINTS?.trim();
        const cp = await verifyCheckpoints(db, sources, key, { named });
        if (!cp.ok) {
          io.out(`审计日志被截断或校验点无效 / audit log TRUNCATED or checkpoint invalid: ${cp.reason}`);
          return 2;
        }
        io.out(
          `审计日志完整 / audit chain intact: ${r.checked} entries` +
            (cp.latest
              ? `; 校验点 / checkpoint ${cp.latest.at} (${cp.latest.count} entries) holds` +
                (sources.length > 1
                  ? ` (${sources.length} 个实例的校验点 / checkpoints of ${sources.length} instances)`
                  : '')
              : '; 尚无校验点 / no checkpoint yet'),
        );
        return 0;
      });
    }
    case 'admin': {
      const username = positionals[1];
      const password = values['password-stdin']
        ? await readStdin()
        : process.stdin.isTTY
          ? await promptHidden(`${t('cli.admin.password', lang, { min: MIN_PASSWORD_LENGTH })} `)
          : null;
      if (password === null) {
        io.err(`${t('cli.admin.noTerminal', lang)}\n`);
        return 1;
      }
      return withDatabase(async (db) => {
        const r = await createAdministrator(db, username, password, text('display-name') ?? '');
        if (!r.ok) {
          io.err(`${t(`cli.admin.${r.error}`, lang, { min: MIN_PASSWORD_LENGTH, username })}\n`);
          return 2;
        }
        io.out(t('cli.admin.created', lang, { username }));
        return 0;
      });
    }
    case 'retention': {
      const date = dateFlag(text('date'), '--date');
      return withDatabase(async (db, config) => {
        const today = date ?? todayInChina();
        const { purged, policy } = await purgeExpired(
          db,
          uploadFilesFor(db, config.dataDir, config.uploadStorage, isPostgres(db)),
          'quota retention purge',
          today,
          !!values['dry-run'],
        );
        const rule =
          policy.mode === 'days'
            ? `${policy.days} 天 / days after upload`
            : `公示期结束后 ${policy.correctionWindowDays} 天 / ${policy.correctionWindowDays} days after the notice period`;
        io.out(
          `${values['dry-run'] ? '将删除 / would delete' : '已删除 / deleted'} ${purged.length} 个原始上传文件 / raw uploads (保留规则 / rule: ${rule}; ${today})`,
        );
        for (const x of purged) io.out(`  ${x.uploadId}  到期 / expired ${x.expiresOn}`);
        return 0;
      });
    }
    case 'db': {
      const config = loadConfig();
      const db = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const done = positionals[0] === 'migrate' ? await migrateLatest(db) : await rollbackAll(db);
        io.out(
          `${positionals[0] === 'migrate' ? '已迁移到最新 / migrated to latest' : '已全部回滚 / rolled back'}: ${done.length ? done.join(', ') : '无变化 / nothing to do'}`,
        );
        return 0;
      } finally {
        await db.destroy();
      }
    }
    default:
      throw new UsageError(`未知命令 / unknown command: ${command}`);
  }
}

/** Heap cap of the thread that reads a workbook for `quota check` (QUOTA_CHECK_HEAP_MB, default 4096). */
function checkHeapMB(): number {
  const n = Number(process.env.QUOTA_CHECK_HEAP_MB);
  return Number.isInteger(n) && n > 0 ? n : 4096;
}

/**
 * `quota check` reads the file in a worker thread under a heap cap, so a hostile file that exhausts memory
 * ends in a message and exit 2 (file/too-complex), never in the runtime's fatal error and stack trace.
 */
async function checkInWorker(
  file: string,
  opts: Omit<RunOptions, 'onProgress'>,
  onProgress?: (rows: number) => void,
): Promise<Outcome | { kind: 'refused'; list: ProblemList }> {
  const heapMB = checkHeapMB();
  const pool = new UploadPool(1, heapMB);
  // the pool's threads do not keep a process alive (they serve a web app); the command waits for its own
  const alive = setInterval(() => undefined, 60_000);
  try {
    return await pool.runJob<Outcome>('quota-check', { input: { file, opts } }, onProgress);
  } catch (e) {
    if (!(e instanceof WorkerLimitError) || e.reason === 'busy') throw e;
    const list = new ProblemList(opts.lang);
    list.error(
      e.reason === 'memory' ? 'file/out-of-memory' : 'file/corrupt',
      '',
      '',
      e.reason === 'memory' ? { memory: `${heapMB} MB` } : { detail: e.message },
    );
    return { kind: 'refused', list };
  } finally {
    clearInterval(alive);
    await pool.close();
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
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s),
    isTTY: !!process.stderr.isTTY,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: Error) => {
      // the message only: a stack trace helps no user of the command line
      process.stderr.write(`内部错误 / internal error: ${err.message}\n`);
      process.exitCode = 1;
    });
}
