/**
 * Every formula a result shows reproduces its result with the numbers it shows (UX.md §1: formulas in words,
 * with the numbers). The explanations of many results — every golden case, the demo workbooks, and generated
 * rosters with fractional staff, odd wages, part years and every county — are rendered in Chinese and English
 * as the pages, the reports and the CLI show them (the explanation line and the tax form's working); every
 * "a × b = c", "a − b = c", "a ÷ b = c" (with brackets, percentages, 取整 and sums) is read back from the text
 * and computed again from the numbers shown, and must give the result shown to 0.01 of its unit.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explanationLine } from '../../server/i18n/explain';
import { taxFormRows } from '../../server/i18n/tax-form';
import { ingestFile } from '../../server/ingest';
import { writeDemoWorkbook } from '../../server/demo/workbooks';
import { shippedParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import type { CheckResult } from '../../server/rules/result';
import { COUNTIES, type County, type Employee, type Employer } from '../../server/rules/types';
import { loadCases, runGoldenCase } from '../helpers/golden';
import { makeUscc } from '../helpers/people';

// ── reading a formula back from its words ───────────────────────────────────────
type Tok = { k: 'num'; v: number; pct: boolean } | { k: 'op'; v: string } | { k: 'floor' };

/**
 * A number standing on its own: not part of a label such as 第4栏, 12个月, 1月 or "column 5" (a number glued
 * to a Chinese character, or after "column"). Thousands separators, decimals, the "…" of a non-ending
 * decimal and a following % are part of it.
 */
const NUMBER =
  /(?<![\p{L}\p{N}.,])(?<!column |col\. )(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(…)?(?![\p{N}\p{Script=Han}])(\s?%)?/uy;
const OPS = /[×÷−+()（）]/y;
const FLOOR = /取整|in whole persons/y;

/** The tokens of one side of "=", labels dropped. */
function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    NUMBER.lastIndex = OPS.lastIndex = FLOOR.lastIndex = i;
    let m: RegExpExecArray | null;
    if ((m = NUMBER.exec(text))) {
      out.push({ k: 'num', v: Number(`${m[1].replace(/,/g, '')}${m[2] ?? ''}`), pct: !!m[4] });
      i = NUMBER.lastIndex;
    } else if ((m = OPS.exec(text))) {
      out.push({ k: 'op', v: m[0] === '（' ? '(' : m[0] === '）' ? ')' : m[0] });
      i = OPS.lastIndex;
    } else if ((m = FLOOR.exec(text))) {
      out.push({ k: 'floor' });
      i = FLOOR.lastIndex;
    } else {
      // a label's character; a number glued to it (第4栏, 12个月, "month 3") is part of the label
      const glued = /^[\p{L}]\d+/u.exec(text.slice(i));
      i += glued ? glued[0].length : 1;
    }
  }
  return out;
}

const value = (t: Tok & { k: 'num' }) => (t.pct ? t.v / 100 : t.v);

/** Evaluates tokens as an expression (× ÷ before + −; "(x) 取整 n" is n, after checking ⌊x⌋ = n); null when they are not one. */
function evaluate(ts: Tok[], floors: string[]): number | null {
  let p = 0;
  const peek = () => ts[p];
  const factor = (): number | null => {
    const t = ts[p];
    if (!t) return null;
    if (t.k === 'num') {
      p++;
      return value(t);
    }
    if (t.k === 'op' && t.v === '(') {
      p++;
      const inner = sum();
      if (inner === null || ts[p]?.k !== 'op' || (ts[p] as { v: string }).v !== ')') return null;
      p++;
      if (peek()?.k === 'floor') {
        p++;
        const shown = ts[p];
        if (shown?.k !== 'num') return Math.floor(inner + 1e-9);
        p++;
        if (Math.abs(Math.floor(inner + 1e-9) - value(shown)) > 1e-9) floors.push(`⌊${inner}⌋ ≠ ${value(shown)}`);
        return value(shown);
      }
      return inner;
    }
    return null;
  };
  const product = (): number | null => {
    let a = factor();
    while (a !== null && peek()?.k === 'op' && ['×', '÷'].includes((peek() as { v: string }).v)) {
      const op = (ts[p++] as { v: string }).v;
      const b = factor();
      if (b === null) return null;
      a = op === '×' ? a * b : a / b;
    }
    return a;
  };
  const sum = (): number | null => {
    let a = product();
    while (a !== null && peek()?.k === 'op' && ['+', '−'].includes((peek() as { v: string }).v)) {
      const op = (ts[p++] as { v: string }).v;
      const b = product();
      if (b === null) return null;
      a = op === '+' ? a + b : a - b;
    }
    return a;
  };
  const v = sum();
  return v !== null && p === ts.length ? v : null;
}

const hasOperator = (ts: Tok[]) => ts.some((t) => t.k === 'op' && '×÷+−'.includes(t.v));

export interface Checked {
  formula: string;
  computed: number;
  shown: number;
  ok: boolean;
}

/**
 * Every "left = result" in a line: the left side is the longest run of numbers and operators just before the
 * "=" that forms an expression (a label's own numbers, and a conjunction such as 与 / "and" between two
 * numbers, end it); the result is the first number after the "=". Statements without an operator are not
 * formulas ("合计 = 1,084,800.00 元").
 */
export function formulasOf(line: string): Checked[] {
  const out: Checked[] = [];
  const parts = line.split('=');
  for (let i = 1; i < parts.length; i++) {
    // the left side starts after the last clause break (，；：, "; ", ", ")
    const left = parts[i - 1].split(/[，；：;]|:\s|,\s/).pop()!;
    const ts = tokens(left);
    const rightTok = tokens(parts[i]).find((t) => t.k === 'num') as (Tok & { k: 'num' }) | undefined;
    if (!rightTok || !hasOperator(ts)) continue;
    let computed: number | null = null;
    const floors: string[] = [];
    for (let start = 0; start < ts.length && computed === null; start++) {
      const tail = ts.slice(start);
      if (!hasOperator(tail)) break;
      floors.length = 0;
      computed = evaluate(tail, floors);
    }
    if (computed === null) {
      out.push({ formula: `${left}=${parts[i]} (not read)`, computed: NaN, shown: value(rightTok), ok: false });
      continue;
    }
    const shown = rightTok.v;
    const got = rightTok.pct ? computed * 100 : computed;
    out.push({
      formula: `${left.trim()} = ${parts[i].trim()}`,
      computed: got,
      shown,
      ok: Math.abs(got - shown) <= 0.01 + 1e-9 && floors.length === 0,
    });
  }
  return out;
}

// ── the results whose explanations are read ─────────────────────────────────────
const params = shippedParameters();
const dir = mkdtempSync(join(tmpdir(), 'qd-formulas-'));

/** A generated roster: `staff` employees, `disabled` of them with certificates, some hired or leaving mid-year. */
function generated(n: number): { employer: Employer; employees: Employee[]; settings: Record<string, string> } {
  const rnd = (() => {
    let x = 2_654_435_761 * (n + 1);
    return (m: number) => {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      return x % m;
    };
  })();
  const year = 2016 + (n % 10);
  const county = COUNTIES[n % COUNTIES.length] as County;
  const staff = 8 + rnd(180);
  const disabled = rnd(n % 3 === 0 ? Math.max(2, Math.floor(staff / 3)) : 4);
  const employees: Employee[] = [];
  for (let i = 0; i < staff; i++) {
    const grade = i < disabled ? 1 + rnd(4) : null;
    const hiredMonth = rnd(4) === 0 ? 1 + rnd(12) : 0;
    const leftMonth = rnd(6) === 0 ? 1 + rnd(12) : 0;
    employees.push({
      row: i + 2,
      name: `P${i}`,
      idNumber: `x${i}`,
      birthDate: '1985-03-01',
      sex: i % 2 ? 'M' : 'F',
      cert: grade ? { category: 1 + rnd(7), grade } : null,
      veteranGrade: null,
      hired: hiredMonth ? `${year}-${String(hiredMonth).padStart(2, '0')}-10` : '2012-01-01',
      left: leftMonth ? `${year}-${String(leftMonth).padStart(2, '0')}-20` : null,
      contractStart: '2012-01-01',
      contractEnd: null,
      form: rnd(9) === 0 ? '非全日制' : '全日制',
      dispatchCountedHere: false,
      insuredMonths: null,
      wagesFen: Array.from({ length: 12 }, () => 250_000 + rnd(900_000) + rnd(100)),
      femalePost: '工人',
    });
  }
  const employer: Employer = {
    name: `生成单位${n}`,
    uscc: makeUscc(`MA2GEN${String(n).padStart(2, '0')}`),
    county,
    unitType: (['企业', '机关', '事业单位', '社会团体', '民办非企业单位'] as const)[n % 5],
    founded: n % 7 === 0 ? `${year - 1}-05-01` : '2005-01-01',
    year,
    wageTotal: null,
    blindMassage: n % 11 === 0,
    auxiliaryEmployment: n % 5 === 1,
    ecommerce: n % 4 === 2,
    povertyReliefBase: n % 6 === 3,
    familiesSupported: n % 6 === 3 ? 1 + rnd(5) : 0,
    taxPreference: n % 3 === 0 && n % 2 === 0,
  };
  const settings: Record<string, string> = {};
  if (n % 4 === 1) settings.extraPersons = 'exact';
  if (n % 8 === 2) settings.perPersonBasis = 'december-headcount';
  if (n % 5 === 3) settings.annualMinWage = 'december';
  return { employer, employees, settings };
}

async function results(): Promise<{ name: string; result: CheckResult }[]> {
  const out: { name: string; result: CheckResult }[] = [];
  const golden = join(__dirname, '..', 'golden');
  for (const f of readdirSync(golden).filter((x) => x.endsWith('.yaml'))) {
    let i = 0;
    for (const c of loadCases(join(golden, f))) {
      const r = await runGoldenCase(c, join(dir, `${f}-${i++}.xlsx`));
      if ('months' in r) out.push({ name: `${f}: ${c.name}`, result: r as CheckResult });
    }
  }
  for (const [kind, county] of [
    ['short', '海宁市'],
    ['concentrated', '桐乡市'],
  ] as const) {
    const file = join(dir, `demo-${kind}.xlsx`);
    const uscc = makeUscc(kind === 'short' ? 'MA2DEMA1' : 'MA2DEMA2');
    await writeDemoWorkbook(file, { name: `演示${kind}`, uscc, county, unit_type: '企业' }, kind);
    const ingested = await ingestFile(file, { fileName: `${kind}.xlsx`, params, today: '2026-11-28' });
    expect(ingested.problems.filter((p) => p.severity === 'error')).toEqual([]);
    out.push({ name: `demo ${kind}`, result: check(ingested.employer!, ingested.employees, params) });
  }
  for (let n = 0; n < 60; n++) {
    const g = generated(n);
    out.push({ name: `generated ${n}`, result: check(g.employer, g.employees, params, g.settings) });
  }
  return out;
}

/** What a reader sees of a result's formulas: each explanation line, and the tax form's working. */
function shownLines(r: CheckResult, lang: 'zh' | 'en'): string[] {
  const lines = r.explanations.map((e) => explanationLine(e, lang));
  if (r.taxForm) for (const row of taxFormRows(r, lang)) lines.push(row.working);
  return lines;
}

// ── the reader itself is checked first: it must catch the fault it is for ───────
test('the reader recomputes a formula from its words and catches one that does not reproduce', () => {
  expect(formulasOf('应缴保障金 = 差额人数 0.31 人 × 计征工资 88,303.45 元 = 27,594.83 元')[0].ok).toBe(false);
  expect(formulasOf('应缴保障金 = 差额人数 0.3125 人 × 计征工资 88,303.45 元 = 27,594.83 元')[0].ok).toBe(true);
  const [floor] = formulasOf(
    '奖励 = （残疾职工 12 人 − 25.00 % × 在职职工 40 人）取整 2 人 × 2 倍 × 月最低工资 2,260.00 元 = 9,040.00 元',
  );
  expect(floor).toMatchObject({ computed: 9040, ok: true });
  expect(
    formulasOf('（残疾职工 12 人 − 25.00 % × 在职职工 40 人）取整 3 人 × 2 倍 × 2,260.00 元 = 13,560.00 元')[0].ok,
  ).toBe(false);
  const [sum] = formulasOf(
    '基地奖励 = 月最低工资 5,650.00 元 × 3 个月 + 月最低工资 2,260.00 元 × 0.50 × 辐射带动 4 户 = 21,470.00 元',
  );
  expect(sum.computed).toBeCloseTo(21470, 6);
  const [labels] = formulasOf(
    '申报表第9栏 本期应纳费额 = （第5栏 100 × 第6栏 1.50 % − 第7栏 1）× 第8栏 72,000.00 元 = 36,000.00 元',
  );
  expect(labels).toMatchObject({ computed: 36000, ok: true });
  const [en] = formulasOf('column 9 36,000.00 yuan − payable after reduction 18,000.00 yuan = 18,000.00 yuan');
  expect(en).toMatchObject({ computed: 18000, ok: true });
  const [conj] = formulasOf(
    '年平均工资 72,000.00 元 与社会平均工资 30,000.00 元 × 2 = 60,000.00 元 取较低者 = 60,000.00 元',
  );
  expect(conj).toMatchObject({ computed: 60000, ok: true });
  expect(formulasOf('12个月在职职工人数合计 486 ÷ 12 = 40.50 人')[0]).toMatchObject({ computed: 40.5, ok: true });
  expect(formulasOf('实际安排人数 1 人 ÷ 在职职工人数 101 人 = 0.99 %')[0].ok).toBe(true);
  expect(formulasOf('实际安排人数 1 人 ÷ 在职职工人数 101 人 = 1.99 %')[0].ok).toBe(false);
  expect(formulasOf('月最低工资 1,671.66666667… 元 × 2 × 4 = 13,373.33 元')[0].ok).toBe(true);
  expect(formulasOf('月最低工资 1,671.67 元 × 2 × 4 = 13,373.33 元')[0].ok).toBe(false);
});

test('every formula shown, in Chinese and English, reproduces its result from the numbers shown', async () => {
  const all = await results();
  expect(all.length).toBeGreaterThan(80);
  const faults: string[] = [];
  const checkedFigures = new Set<string>();
  let checked = 0;
  for (const { name, result } of all) {
    for (const lang of ['zh', 'en'] as const) {
      const lines = shownLines(result, lang);
      const figures = [...result.explanations.map((e) => e.figure), ...(result.taxForm ? ['taxForm'] : [])];
      lines.forEach((line, i) => {
        for (const f of formulasOf(line)) {
          checked++;
          checkedFigures.add((figures[i] ?? 'taxForm').replace(/\[\d+\]/, ''));
          if (!f.ok) faults.push(`${name} [${lang}] ${f.formula} — computed ${f.computed}`);
        }
      });
    }
  }
  expect(faults).toEqual([]);
  // the reader found the formulas it is meant to check, in every kind of figure that has one
  expect(checked).toBeGreaterThan(3000);
  for (const f of [
    'annual.avgStaff',
    'annual.avgWeighted',
    'annual.ratio',
    'annual.avgWage',
    'annual.minWageAvg',
    'annual.wageBase',
    'quota.required',
    'quota.shortfall',
    'quota.excess',
    'levy.full',
    'levy.payable',
    'months.vatRefundCeiling',
    'rewards.over-quota',
    'rewards.concentrated-over-ratio',
    'taxForm',
  ])
    expect([...checkedFigures]).toContain(f);
});
