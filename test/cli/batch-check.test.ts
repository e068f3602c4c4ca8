/**
 * `quota check DIR|FILE… --json`: one JSON line per file of a folder (its subfolders too, hidden entries left
 * out) — a result, the file's problems, or why it could not be read — read in worker threads; one bad file
 * (with errors, corrupt, not a workbook, unreadable) never stops the others; a summary ends stderr, and a
 * progress line is written there only on a terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { employerSheet, rosterSheet, writeSimpleWorkbook } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cli-batch-'));
const folder = join(dir, 'rosters');
const f = (name: string) => join(folder, name);

beforeAll(async () => {
  mkdirSync(join(folder, 'county'), { recursive: true });
  await writeSimpleWorkbook(f('good.xlsx'), 99, 1);
  await writeSimpleWorkbook(f('county/second.xlsx'), 40, 2);
  // a workbook whose roster has an ID number that cannot be one: problems, nothing computed
  await writeWorkbook(f('bad.xlsx'), [
    { name: '单位信息', rows: employerSheet() },
    {
      name: '职工名册',
      rows: rosterSheet(10, 0, [
        { 姓名: '职工甲', 身份证号: '33048119900101123', 入职日期: '2020-01-01', '月工资（元）': 6000 },
      ]),
    },
  ]);
  const whole = readFileSync(f('good.xlsx'));
  writeFileSync(f('corrupt.xlsx'), whole.subarray(0, Math.floor(whole.length / 2))); // cut off mid-way
  writeFileSync(f('notes.xlsx'), 'just text, not a workbook');
  symlinkSync(join(dir, 'gone.xlsx'), f('unreadable.xlsx')); // a name whose file cannot be opened
  writeFileSync(f('.hidden.xlsx'), 'left out');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], isTTY = false) {
  let out = '',
    err = '';
  const code = await main(args, {
    out: (s) => {
      out += s + '\n';
    },
    err: (s) => {
      err += s;
    },
    isTTY,
  });
  return { code, out, err };
}

type Line = { file: string; result?: unknown; problems?: { code: string }[]; error?: string };
const lines = (out: string) =>
  Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
      .map((l) => [l.file.slice(folder.length + 1), l]),
  );

test('a folder: one line per file, good and bad alike, the results as a single check gives them', async () => {
  const r = await run(['check', folder, '--json']);
  expect(r.code).toBe(2); // some files have problems
  const got = lines(r.out);
  expect(Object.keys(got).sort()).toEqual([
    'bad.xlsx',
    'corrupt.xlsx',
    'county/second.xlsx',
    'good.xlsx',
    'notes.xlsx',
    'unreadable.xlsx',
  ]);
  for (const name of ['good.xlsx', 'county/second.xlsx']) {
    const single = await run(['check', f(name), '--json']);
    expect(single.code).toBe(0);
    expect(got[name].result).toEqual(JSON.parse(single.out));
  }
  expect(got['bad.xlsx'].result).toBeUndefined();
  expect(got['bad.xlsx'].problems!.map((p) => p.code)).toContain('cell/id-format');
  expect(got['corrupt.xlsx'].problems!.map((p) => p.code)).toEqual([expect.stringMatching(/^file\//)]);
  expect(got['notes.xlsx'].problems!.map((p) => p.code)).toEqual(['file/not-xlsx']);
  expect(got['unreadable.xlsx'].error).toMatch(/无法读取文件 \/ cannot read the file: ENOENT/);
  expect(r.err).toContain('6 files: 2 with a result, 3 with problems, 1 unreadable');
  expect(r.err).not.toContain('\r'); // no progress line off a terminal
});

test('files named one by one, all good: exit 0; on a terminal a progress line, then the summary', async () => {
  const r = await run(['check', f('good.xlsx'), f('county/second.xlsx'), '--json', '--lang', 'en'], true);
  expect(r.code).toBe(0);
  expect(Object.keys(lines(r.out)).sort()).toEqual(['county/second.xlsx', 'good.xlsx']);
  expect(r.err).toMatch(/\r已检查 \d \/ 2 个文件… \/ \d of 2 files checked/);
  expect(r.err).toContain('2 files: 2 with a result, 0 with problems, 0 unreadable');
});

test('several files need --json, and --annotate checks one file at a time: usage errors', async () => {
  const plain = await run(['check', folder]);
  expect(plain.code).toBe(2);
  expect(plain.err).toContain('need --json');
  const annotate = await run(['check', folder, '--json', '--annotate', join(dir, 'x.xlsx')]);
  expect(annotate.code).toBe(2);
  expect(annotate.err).toContain('--annotate checks one file at a time');
  expect(plain.out + annotate.out).toBe('');
});

test('the real binary: a folder, JSON lines on stdout, the summary on stderr', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'quota.js'), 'check', folder, '--json'], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(2);
  expect(Object.keys(lines(r.stdout))).toHaveLength(6);
  expect(r.stderr).toContain('6 files: 2 with a result, 3 with problems, 1 unreadable');
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
});
