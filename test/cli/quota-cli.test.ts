import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { message } from '../../server/ingest/messages';
import { shippedParameters } from '../../server/params/load-parameters';
import { supportedYears } from '../../server/rules/parameters/lookup';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const root = join(__dirname, '..', '..');

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

describe('quota check', () => {
  const good = join(dir, 'good.xlsx');
  beforeAll(() => writeSimpleWorkbook(good, 99, 1));

  test('--json gives exactly the docs/rules.md §10 contract plus whatIf, and exit 0', async () => {
    const r = await run(['check', good, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json).sort()).toEqual(
      [
        'annual',
        'certificateRegister',
        'concentrated',
        'employer',
        'counted',
        'exclusions',
        'explanations',
        'insuranceRecords',
        'levy',
        'months',
        'problems',
        'problemTotals',
        'quota',
        'rewards',
        'settings',
        'subsidies',
        'taxForm',
        'warnings',
        'whatIf',
      ].sort(),
    );
    expect(json.months).toHaveLength(12);
    expect(json.months[0]).toEqual({
      month: 1,
      staff: 100,
      disabled: 1,
      weighted: 1,
      minWage: 2260,
      concentrated: false,
      vatRefundCeiling: 0,
    });
    expect(json.levy).toEqual({
      full: 36000,
      rate: 0.5,
      payable: 18000,
      collectionYear: 2026,
      collectionDate: '2026-06-30',
      exemption: null,
    });
    expect(json.quota.status).toBe('short');
  });

  test('the default output is a readable Chinese summary with masked names', async () => {
    const r = await run(['check', good]);
    expect(r.code).toBe(0);
    // no 2025 social average wage configured: the levy is provisional, and the summary says why
    expect(r.out).toContain('结论：未达标 — 应缴残疾人就业保障金 暂估 18,000.00 元（征收年度 2026）');
    expect(r.out).toContain('2025年度嘉兴市社会平均工资尚未公布');
    expect(r.out).toContain('应缴残疾人就业保障金 = 差额人数 0.50 人 × 计征工资 72,000.00 元 × 50.00 % = 18,000.00 元');
    expect(r.out).toContain('《财政部关于调整残疾人就业保障金征收政策的公告》（财政部公告2019年第98号');
    expect(r.out).not.toMatch(/\b[a-z]+\.[a-z][A-Za-z]+\b/); // no identifiers in the text output
    expect(r.out).toContain('使保障金为零需新增：普通残疾人 1 名');
  });

  test('--lang en switches the summary to English', async () => {
    const r = await run(['check', good, '--lang', 'en']);
    expect(r.out).toContain('Result: short of quota — levy payable provisional 18,000.00 yuan');
    expect(r.out).toContain(
      'levy payable = shortfall 0.50 people × pay used for the levy 72,000.00 yuan × 50.00 % = 18,000.00 yuan',
    );
    expect(r.out.split('\n').slice(1).join('\n')).not.toMatch(/[\u4e00-\u9fff]/); // English after the employer's own name
  });

  test('settings override an interpretation and say so', async () => {
    const r = await run(['check', good, '--json', '--collection-date', '2028-06-30']);
    const json = JSON.parse(r.out);
    expect(json.levy).toMatchObject({ rate: 1, payable: 36000, collectionYear: 2028 });
    expect(json.settings.collectionDate).toBe('2028-06-30');
  });

  test('a workbook with problems exits 2 with only problems', async () => {
    const bad = join(dir, 'bad.xlsx');
    const { first, last } = supportedYears(shippedParameters());
    await writeSimpleWorkbook(bad, 5, 0, { 统一社会信用代码: '91330481MA2B3C4D5Y', 评估年度: last + 1 });
    const r = await run(['check', bad, '--json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['problems', 'problemTotals']);
    expect(json.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: '单位信息', cell: 'B2', code: 'cell/uscc-checksum' }),
        expect.objectContaining({
          sheet: '单位信息',
          cell: 'B6',
          code: 'cell/year-unsupported',
          message: message('cell/year-unsupported', { year: last + 1, first, last }, 'zh'),
        }),
      ]),
    );
  });

  test('the real binary: exit codes 0, 2 and 1, JSON on stdout', () => {
    const bin = join(root, 'bin', 'quota.js');
    const ok = spawnSync(process.execPath, [bin, 'check', good, '--json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).levy.payable).toBe(18000);
    const notXlsx = join(dir, 'notes.xlsx');
    writeFileSync(notXlsx, 'just text');
    const bad = spawnSync(process.execPath, [bin, 'check', notXlsx], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('文件不是有效的 .xlsx 工作簿');
    const missing = spawnSync(process.execPath, [bin, 'check', join(dir, 'nope.xlsx')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('找不到文件 / file not found');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('quota params', () => {
  test('lists the values in force with sources', async () => {
    const r = await run(['params', '--date', '2021-08-01', '--json']);
    const rows = JSON.parse(r.out).parameters as { id: string; key: string | null; value: unknown; source: string }[];
    expect(rows.find((x) => x.id === 'min-wage' && x.key === '2')).toMatchObject({
      value: 2070,
      source: '浙政发〔2021〕22号（三档）',
    });
    expect(rows.find((x) => x.id === 'min-wage' && x.key === '4')).toBeUndefined();
    expect(rows.every((x) => x.source.length > 0)).toBe(true);
  });
});
