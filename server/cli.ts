/**
 * The `quota` command line.
 *   quota check FILE [--json] [--lang zh|en] [--annotate OUT.xlsx] [--collection-date D] [--set k=v …]
 *               [--name … --uscc … --county … --unit-type … --founded … --year …]   (CSV only)
 *               [--tax-form] [--social-average-wage N] [--already-paid A]
 *   quota check DIR|FILE… --json   (server/cli/batch-check.ts)
 *   quota late-fee --amount A --due YYYY-MM-DD --paid YYYY-MM-DD [--json]
 *   quota params [--date D] [--json]
 *   quota template FILE.xlsx [--year Y]
 *   quota backup [--to DIR] | backup verify ARCHIVE;  quota restore ARCHIVE [--force]   (server/cli/backup.ts)
 *   quota db migrate | rollback;  quota help | --help
 * Exit codes: 0 a result, 2 a workbook with problems (nothing computed), a file that cannot be read or a usage
 * error (unknown command or option, bad flag value), 1 an internal failure.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
// only what parsing the command line needs is loaded up front (so `quota --help` starts at once); each
// command loads its own modules when it runs
import { UsageError } from './cli/arguments';
import { EMPLOYER_FLAGS as CSV_FLAG } from './ingest/columns';
import type { Lang } from './ingest/messages';
import { isValidISODate } from './rules/calendar';
import type { Outcome, RunOptions } from './cli/run-check';
import type { ProblemList } from './ingest/problem';
import type { Knex } from 'knex';
import type { Config } from './config';
import { BACKUP_COMMANDS, BACKUP_USAGE } from './cli/backup-usage';

const USAGE = `用法 / usage:
  quota check FILE [--json] [--lang zh|en] [--annotate OUT.xlsx] [--collection-date YYYY-MM-DD] [--set key=value]
              [--unmask] [--tax-form] [--social-average-wage 元/年] [--already-paid 元]
              [--certificate-register REGISTER.xlsx|csv]
              CSV: --name --uscc --county --unit-type --founded --year [--wage-total …]
  quota check DIR|FILE… --json  several workbooks, or every file in a folder: one JSON line each, read on every core
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
  quota register import FILE --year YYYY [--county 县市区] [--dry-run]
                              import the register of units (.xlsx or .csv): rows checked, what is added and changed
                              printed; written at once unless a row has a problem (exit 2) or --dry-run
${BACKUP_USAGE}
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
      'certificate-register': str,
    },
    positionals: [1, Infinity],
  },
  'late-fee': { options: { ...COMMON, json: bool, amount: str, due: str, paid: str }, positionals: [0, 0] },
  params: { options: { ...COMMON, json: bool, date: str }, positionals: [0, 0] },
  template: { options: { ...COMMON, year: str }, positionals: [1, 1] },
  audit: { options: { ...COMMON, checkpoints: { type: 'string', multiple: true } }, positionals: [1, 1] },
  retention: { options: { ...COMMON, 'dry-run': bool, date: str }, positionals: [1, 1] },
  db: { options: COMMON, positionals: [1, 1] },
  admin: { options: { ...COMMON, 'display-name': str, 'password-stdin': bool }, positionals: [2, 2] },
  register: { options: { ...COMMON, year: str, county: str, 'dry-run': bool }, positionals: [2, 2] },
  help: { options: COMMON, positionals: [0, 1] },
  backup: {
    options: { ...COMMON, ...BACKUP_COMMANDS.backup.options },
    positionals: BACKUP_COMMANDS.backup.positionals,
  },
  restore: {
    options: { ...COMMON, ...BACKUP_COMMANDS.restore.options },
    positionals: BACKUP_COMMANDS.restore.positionals,
  },
};

const SUBCOMMANDS: Record<string, string[]> = {
  audit: ['verify', 'checkpoint'],
  retention: ['purge'],
  db: ['migrate', 'rollback'],
  admin: ['create'],
  register: ['import'],
};

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const { bilingual } = await import('./i18n/t');
    const w = e.words;
    const text = w ? `${w.before ?? ''}${bilingual(w.key, w.values)}${w.after ?? ''}` : e.message;
    io.err(`${text}\n${bilingual('cli.message.helpPointer')}\n`);
    return 2;
  }
}

const isFolder = (path: string) =>
  stat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );

/** A date flag: YYYY-MM-DD and a real day. */
function dateFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isValidISODate(value))
    throw new UsageError(`${flag}：应为日期 YYYY-MM-DD / ${flag} expects a date YYYY-MM-DD (got "${value}")`);
  return value;
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError({ key: 'cli.message.noCommand' });
  if (command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError({ key: 'cli.message.unknownCommand', after: `: ${command}` });
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: spec.options });
  } catch (e) {
    // node's messages name the option: "Unknown option '--x'", "Option '--lang <value>' argument missing"
    throw new UsageError({ key: 'cli.message.badOption', after: `: ${(e as Error).message.split('. ')[0]}` });
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const positionals = parsed.positionals;
  if (values.help || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  const [min, max] = spec.positionals;
  if (positionals.length < min) throw new UsageError({ key: 'cli.message.missingArgument', before: `${command}：` });
  if (positionals.length > max)
    throw new UsageError({
      key: 'cli.message.unexpectedArgument',
      before: `${command}：`,
      after: `: ${positionals[max]}`,
    });
  const sub = SUBCOMMANDS[command];
  if (sub && !sub.includes(positionals[0]))
    throw new UsageError({
      key: 'cli.message.unknownSubcommand',
      before: `quota ${command} ${sub.join(' | ')}：`,
      after: `: ${positionals[0]}`,
    });
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
      const { parseAmount, parseSettings } = await import('./cli/arguments');
      const { resolveSettings } = await import('./rules/interpretations');
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
      const employerFields = Object.fromEntries(
        Object.entries(CSV_FLAG).map(([key, flag]) => [key, text(flag.slice(2))]),
      );
      if (positionals.length > 1 || (await isFolder(file))) {
        // several workbooks, or a folder of them: one JSON line each (server/cli/batch-check.ts)
        if (!values.json)
          throw new UsageError({
            key: 'cli.message.severalFilesNeedJson',
            values: { file: positionals.slice(1, 2).join('') || file },
          });
        for (const flag of ['annotate', 'tax-form', 'unmask'])
          if (values[flag] !== undefined)
            throw new UsageError(`check：检查多个文件时不能用 --${flag} / --${flag} checks one file at a time`);
        const { batchCheck } = await import('./cli/batch-check');
        return batchCheck(
          positionals,
          {
            lang,
            collectionDate,
            set,
            socialAverageWage: text('social-average-wage'),
            alreadyPaid: text('already-paid'),
            employerFields,
          },
          io,
        );
      }
      if (!existsSync(file)) {
        const { bilingual } = await import('./i18n/t');
        io.err(`${bilingual('cli.message.fileNotFound')}: ${file}\n`);
        return 1;
      }
      const progress =
        io.isTTY && !values.json ? (n: number) => io.err(`\r已读取 ${n} 行… / ${n} rows read`) : undefined;
      const started = Date.now();
      const outcome = await checkInWorker(
        file,
        {
          lang,
          annotate: text('annotate'),
          collectionDate,
          set,
          socialAverageWage: text('social-average-wage'),
          alreadyPaid: text('already-paid'),
          certificateRegister: text('certificate-register'),
          employerFields,
        },
        progress &&
          ((n) => {
            if (Date.now() - started > 500) progress(n);
          }),
      );
      if (progress && Date.now() - started > 500) io.err(`\r${' '.repeat(40)}\r`);
      const [{ formatProblems, formatResult }, { formatTaxForm }, { t, bilingual }] = await Promise.all([
        import('./cli/format-text'),
        import('./cli/format-tax-form'),
        import('./i18n/t'),
      ]);
      if (outcome.kind === 'refused') {
        io.out(
          values.json
            ? JSON.stringify({ problems: outcome.list.items, problemTotals: outcome.list.totals }, null, 2)
            : formatProblems(outcome.list.items, lang, outcome.list.totals),
        );
        return 2;
      }
      const annotation = () => {
        if (outcome.annotated) io.err(`${bilingual('cli.message.annotatedWritten')}: ${outcome.annotated}\n`);
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
      if (!amount || !due || !paid) throw new UsageError({ key: 'cli.message.lateFeeNeeds' });
      const [{ parseAmount }, { lateFee }, { shippedParameters }] = await Promise.all([
        import('./cli/arguments'),
        import('./rules/late-fee'),
        import('./params/load-parameters'),
      ]);
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
      const { formatParams } = await import('./cli/format-params');
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
      const { writeTemplate } = await import('./ingest/template');
      await writeTemplate(file, { year: year ? Number(year) : undefined });
      const { bilingual } = await import('./i18n/t');
      io.out(`${bilingual('cli.message.templateWritten')}: ${file}`);
      return 0;
    }
    case 'audit': {
      const [{ verifyAudit }, { checkpointKey, checkpointSources, verifyCheckpoints, writeCheckpoint }, { settings }] =
        await Promise.all([import('../db/stores/audit'), import('./services/audit-checkpoint'), import('./config')]);
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
        const named = flagged.length > 0 || !!settings.auditCheckpoints().trim();
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
      const [{ createAdministrator, MIN_PASSWORD_LENGTH }, { promptHidden, readStdin }, { t }] = await Promise.all([
        import('./services/admin-accounts'),
        import('./cli/secret'),
        import('./i18n/t'),
      ]);
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
    case 'register': {
      const [{ readFileSync }, { basename }, { RegisterService }, { registerProblemText }, { COUNTIES }, { t }] =
        await Promise.all([
          import('node:fs'),
          import('node:path'),
          import('./services/register'),
          import('./ingest/register-sheet'),
          import('./rules/types'),
          import('./i18n/t'),
        ]);
      const file = positionals[1];
      if (!/^\d{4}$/.test(text('year') ?? ''))
        throw new UsageError('register import：缺少 --year YYYY / --year YYYY is required');
      const year = Number(text('year'));
      const county = text('county') ?? null;
      if (county && !(COUNTIES as readonly string[]).includes(county))
        throw new UsageError(`--county：应为 ${COUNTIES.join('、')} 之一 / --county must be one of them`);
      if (!existsSync(file)) {
        io.err(`${t('cli.register.noFile', lang, { file })}\n`);
        return 2;
      }
      return withDatabase(async (db, config) => {
        const register = new RegisterService(db, { dataDir: config.dataDir, rule: config.registerRule });
        const actor = await register.commandLineActor();
        if (!actor) {
          io.err(`${t('cli.register.noAdmin', lang)}\n`);
          return 2;
        }
        const p = await register.importFile(
          actor,
          { year, county, path: file, fileName: basename(file), content: readFileSync(file) },
          !!values['dry-run'],
        );
        if (p.problems.length) {
          io.out(t('register.preview.problems', lang, { n: p.problems.length }));
          for (const x of p.problems) {
            const where = x.row ? `${t('register.preview.row', lang)} ${x.row}` : t('register.preview.wholeFile', lang);
            const column = x.column ? ` ${t('register.preview.column', lang)} ${x.column}` : '';
            io.out(`  ${where}${column}: ${registerProblemText(x, lang)}`);
          }
          return 2;
        }
        const counts = {
          added: p.added.length,
          changed: p.changed.length,
          unchanged: p.unchanged,
          notInFile: p.notInFile,
        };
        io.out(t(values['dry-run'] ? 'register.preview.summary' : 'register.imported', lang, counts));
        return 0;
      });
    }
    case 'retention': {
      const date = dateFlag(text('date'), '--date');
      const [{ todayInChina }, { purgeExpired }, { uploadFilesFor }, { isPostgres }] = await Promise.all([
        import('./services/notices'),
        import('./services/retention'),
        import('./services/upload-files'),
        import('../db/connection'),
      ]);
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
    case 'backup':
    case 'restore':
      return (await import('./cli/backup')).backupCommand(command, values, positionals, io);
    case 'db': {
      const [{ loadConfig }, { connect }, { migrateLatest, rollbackAll }] = await Promise.all([
        import('./config'),
        import('../db/connection'),
        import('../db/migrate'),
      ]);
      const config = loadConfig();
      const db = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const done = positionals[0] === 'migrate' ? await migrateLatest(db) : await rollbackAll(db);
        const { bilingual } = await import('./i18n/t');
        io.out(
          `${bilingual(positionals[0] === 'migrate' ? 'cli.message.migrated' : 'cli.message.rolledBack')}: ${done.length ? done.join(', ') : bilingual('cli.message.nothingToDo')}`,
        );
        return 0;
      } finally {
        await db.destroy();
      }
    }
    default:
      throw new UsageError({ key: 'cli.message.unknownCommand', after: `: ${command}` });
  }
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
  const [{ settings }, { UploadPool, WorkerLimitError }, { ProblemList }] = await Promise.all([
    import('./config'),
    import('./workers/upload-pool'),
    import('./ingest/problem'),
  ]);
  // heap cap of the thread that reads the workbook (QUOTA_CHECK_HEAP_MB, default 4096)
  const heapMB = settings.checkHeapMB();
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
  const [{ loadConfig }, { connect }, { migrateLatest }] = await Promise.all([
    import('./config'),
    import('../db/connection'),
    import('../db/migrate'),
  ]);
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
