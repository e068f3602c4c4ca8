/**
 * The tax-form prefill, the social average wage given by the caller and the late fee, on the command line
 * (docs/rules.md §10, §6.1, I11).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';

const dir = mkdtempSync(join(tmpdir(), 'cli-tf-'));

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

describe('taxForm in quota check --json', () => {
  const file = join(dir, 'short.xlsx');
  beforeAll(() => writeSimpleWorkbook(file, 99, 1));

  test('columns agree with the result figures; col12 = levy.payable when nothing was paid', async () => {
    const r = await run(['check', file, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.taxForm).toEqual({
      col4: j.annual.wageTotal,
      col5: j.annual.avgStaff,
      col6: j.quota.ratio,
      col7: j.annual.avgWeighted,
      col8: j.annual.wageBase,
      col9: j.levy.full,
      col10: 18000,
      reductionCode: '35013601',
      reduction: 'tiered-reduction',
      col11: 0,
      col12: j.levy.payable,
      provisional: true,
    });
    expect(j.taxForm.col12).toBe(18000);
    for (let c = 4; c <= 12; c++)
      expect(j.explanations.map((e: { figure: string }) => e.figure)).toContain(`taxForm.col${c}`);
  });

  test('--already-paid fills column 11 and lowers column 12', async () => {
    const r = await run(['check', file, '--json', '--already-paid', '5000.5']);
    const j = JSON.parse(r.out);
    expect(j.taxForm).toMatchObject({ col9: 36000, col10: 18000, col11: 5000.5, col12: 12999.5 });
  });

  test('--tax-form prints each column with its working, and says the figure is provisional without a social average wage', async () => {
    const r = await run(['check', file, '--tax-form']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('第4栏  上年在职职工工资总额：7,200,000.00');
    expect(r.out).toContain('第5栏  上年在职职工人数：100');
    expect(r.out).toContain('第7栏  上年实际安排残疾人就业人数：1');
    expect(r.out).toContain('第10栏  本期减免费额：18,000.00');
    expect(r.out).toContain('分档减缴 · 减免性质代码 35013601');
    expect(r.out).toContain('第9栏 36,000.00 元 − 第10栏 18,000.00 元 − 第11栏 0.00 元 = 18,000.00 元');
    expect(r.out).toContain('暂定数');
    const en = await run(['check', file, '--tax-form', '--lang', 'en']);
    expect(en.out).toContain('Column 9  Levy due：36,000.00');
  });
});

describe('--social-average-wage', () => {
  test('100 staff paid 300,000 a year, nobody placed, 96,000 → wageBase 192,000, levy 288,000, payable 259,200', async () => {
    const file = join(dir, 'rich.xlsx');
    await writeSimpleWorkbook(file, 100, 0, { '上年工资总额（元）': 30_000_000 });
    const r = await run(['check', file, '--json', '--social-average-wage', '96000']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.annual).toMatchObject({ avgStaff: 100, avgWage: 300000, wageBase: 192000 });
    expect(j.levy).toMatchObject({ full: 288000, rate: 0.9, payable: 259200 });
    expect(j.taxForm).toMatchObject({ col8: 192000, col9: 288000, col10: 28800, col12: 259200, provisional: false });
    expect(j.warnings.map((w: { code: string }) => w.code)).not.toContain('wage-cap-not-checked');
    const base = j.explanations.find((e: { figure: string }) => e.figure === 'annual.wageBase');
    expect(base.formula).toContain('min(300,000.00, 2 × 96,000.00)');
    expect(base.sources.join(' ')).toContain('--social-average-wage 96000');
  });

  test('at 150,000 a year nothing is capped', async () => {
    const file = join(dir, 'mid.xlsx');
    await writeSimpleWorkbook(file, 100, 0, { '上年工资总额（元）': 15_000_000 });
    const j = JSON.parse((await run(['check', file, '--json', '--social-average-wage', '96000'])).out);
    expect(j.annual).toMatchObject({ avgWage: 150000, wageBase: 150000 });
    expect(j.levy).toMatchObject({ full: 225000, payable: 202500 });
  });

  test('a value that is not an amount is a usage error naming the option', async () => {
    const file = join(dir, 'short2.xlsx');
    await writeSimpleWorkbook(file, 99, 1);
    const r = await run(['check', file, '--json', '--social-average-wage', 'lots']);
    expect(r.code).toBe(2); // a usage error (docs: exit 2, with a pointer to --help)
    expect(r.err).toContain('--social-average-wage');
  });
});

describe('quota late-fee (I11)', () => {
  test('10,000 due 2025-09-30 paid 2025-10-30 → 30 days → 1,500.00', async () => {
    const r = await run(['late-fee', '--amount', '10000', '--due', '2025-09-30', '--paid', '2025-10-30']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('1,500.00');
    expect(r.err).toContain('30');
  });

  test('a leap year counts 29 February: due 2024-02-28, paid 2024-03-01 → 2 days', async () => {
    const r = await run(['late-fee', '--amount', '10000', '--due', '2024-02-28', '--paid', '2024-03-01', '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ days: 2, dailyRate: 0.005, fee: 100 });
  });

  test('paid on the due date or before: no fee', async () => {
    expect(
      JSON.parse(
        (await run(['late-fee', '--amount', '10000', '--due', '2025-09-30', '--paid', '2025-09-30', '--json'])).out,
      ),
    ).toMatchObject({ days: 0, fee: 0 });
    expect(
      JSON.parse(
        (await run(['late-fee', '--amount', '10000', '--due', '2025-09-30', '--paid', '2025-09-01', '--json'])).out,
      ),
    ).toMatchObject({ days: 0, fee: 0 });
  });

  test('fractional fen are rounded once: 333.33 × 0.5 % × 7 = 11.666… → 11.67', async () => {
    expect(
      JSON.parse(
        (await run(['late-fee', '--amount', '333.33', '--due', '2025-09-30', '--paid', '2025-10-07', '--json'])).out,
      ),
    ).toMatchObject({ days: 7, fee: 11.67 });
  });

  test('a bad date is a usage error that says which', async () => {
    const r = await run(['late-fee', '--amount', '10000', '--due', '2025-02-30', '--paid', '2025-10-30']);
    expect(r.code).toBe(2); // a usage error (docs: exit 2, with a pointer to --help)
    expect(r.err).toContain('2025-02-30');
  });
});
