/**
 * The command line answers `--help` and `help` with its usage (exit 0); an unknown command or option and a
 * bad flag value are usage errors (exit 2, pointing at --help), never an internal error; a file that
 * exhausts the reading thread's memory is exit 2 with a message, never the runtime's fatal error and trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { message } from '../../server/ingest/messages';
import { writeSynthetic } from '../bench/synthetic';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';

const dir = mkdtempSync(join(tmpdir(), 'cli-usage-'));
const bin = join(__dirname, '..', '..', 'bin', 'quota.js');
const good = join(dir, 'good.xlsx');
beforeAll(() => writeSimpleWorkbook(good, 99, 1));

async function run(args: string[]) {
  let out = '',
    err = '';
  const code = await main(args, {
    out: (s) => {
      out += s + '\n';
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
  });
  return { code, out, err };
}

test.each([['--help'], ['-h'], ['help'], ['help', 'check'], ['check', '--help'], ['params', '-h']])(
  'quota %s prints the usage, exit 0',
  async (...args) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.out).toContain('quota check FILE');
    expect(r.out).toContain('quota db migrate');
    expect(r.err).toBe('');
  },
);

test.each([
  [['check', good, '--bogus'], "'--bogus'"],
  [['check', good, '--lang'], '--lang'],
  [['check', good, '--lang', 'fr'], '--lang'],
  [['check', good, '--collection-date', '2026-02-30'], '--collection-date'],
  [['check', good, '--set', 'noSuchSetting=1'], 'noSuchSetting'],
  [['check', good, '--set', 'partTimeWeight'], '--set'],
  [['check', good, '--already-paid', 'lots'], '--already-paid'],
  [['check', good, 'second.xlsx'], 'second.xlsx'],
  [['check'], 'check'],
  [['params', '--date', 'yesterday'], '--date'],
  [['params', '--annotate', 'x.xlsx'], "'--annotate'"],
  [['template', join(dir, 't.xlsx'), '--year', '20x5'], '--year'],
  [['audit', 'check'], 'verify'],
  [['retention'], 'retention'],
  [['db', 'drop'], 'migrate'],
  [['frobnicate'], 'frobnicate'],
  [[], 'quota --help'],
])('quota %j is a usage error: exit 2, says what is wrong and points at --help', async (args, names) => {
  const r = await run(args);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toContain(names);
  expect(r.err).toContain('quota --help');
  expect(r.err).not.toMatch(/internal error|内部错误/);
});

test('the real binary: usage errors exit 2 without a stack trace; --help exits 0', () => {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('quota check FILE');
  const bad = spawnSync(process.execPath, [bin, 'check', good, '--no-such-flag'], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('quota --help');
  expect(bad.stderr).not.toMatch(/\n\s+at |internal error/);
});

test('a file that needs more memory than the reading thread may use: exit 2 with a message, no runtime trace', async () => {
  const big = join(dir, 'big.xlsx');
  await writeSynthetic(big, 40_000, { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市' });
  const r = spawnSync(process.execPath, [bin, 'check', big, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, QUOTA_CHECK_HEAP_MB: '24' },
  });
  expect(r.status).toBe(2);
  const json = JSON.parse(r.stdout);
  expect(json.problems).toEqual([
    expect.objectContaining({
      code: 'file/out-of-memory',
      message: message('file/out-of-memory', { memory: '24 MB' }, 'zh'),
    }),
  ]);
  expect(r.stderr).not.toMatch(/FATAL ERROR|\n\s+at |v8::/);
  // the same file with the default cap is read and computed
  const ok = spawnSync(process.execPath, [bin, 'check', big, '--json'], { encoding: 'utf8' });
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout).months).toHaveLength(12);
}, 120_000);
