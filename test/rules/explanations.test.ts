/** Every figure of the result explains itself: formula with inputs, clauses; settings named. */
import { shippedParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import { CLAUSES } from '../../server/rules/clauses';
import { employerWith, type Employee, type Employer } from '../../server/rules/types';

const employer: Employer = employerWith({
  name: '测试',
  uscc: '91350100M000100Y43',
  county: '海宁市',
  unitType: '企业',
  founded: '2010-01-01',
  year: 2025,
  auxiliaryEmployment: true,
  ecommerce: true,
  povertyReliefBase: true,
  familiesSupported: 2,
});
const person = (row: number, grade: number | null): Employee => ({
  row,
  name: `P${row}`,
  idNumber: 'x',
  birthDate: '1990-01-01',
  sex: 'M',
  cert: grade ? { category: 4, grade } : null,
  veteranGrade: null,
  hired: '2020-01-01',
  left: null,
  contractStart: '2020-01-01',
  contractEnd: null,
  form: '全日制',
  dispatchCountedHere: false,
  insuredMonths: null,
  wagesFen: Array(12).fill(600000),
  femalePost: '工人',
});

test('each reported figure has an explanation with known clauses', () => {
  const staff = [
    ...Array.from({ length: 28 }, (_, i) => person(i + 2, null)),
    ...Array.from({ length: 12 }, (_, i) => person(i + 30, 2)),
  ];
  const r = check(employer, staff, shippedParameters());
  const figures = new Set(r.explanations.map((e) => e.figure));
  for (const f of [
    'annual.avgStaff',
    'annual.avgDisabled',
    'annual.avgWeighted',
    'annual.ratio',
    'annual.wageTotal',
    'annual.avgWage',
    'annual.wageBase',
    'annual.minWageAvg',
    'quota.required',
    'quota.shortfall',
    'quota.excess',
    'quota.status',
    'levy.full',
    'levy.rate',
    'levy.payable',
    'concentrated.vatRefundCeiling',
    'concentrated.landUseTaxRelief',
    'months[1].concentrated',
    'months[1].vatRefundCeiling',
  ]) {
    expect(figures).toContain(f);
  }
  for (const rw of r.rewards) expect(figures).toContain(`rewards.${rw.kind}`);
  for (const e of r.explanations) {
    expect(e.clauses.length).toBeGreaterThan(0);
    for (const c of e.clauses) expect(Object.keys(CLAUSES)).toContain(c);
  }
  const over = r.explanations.find((e) => e.figure === 'rewards.over-quota')!;
  expect(over.formula).toBe('rewards.over-quota = ⌊excess⌋ × 4 × minWageAvg = 23 × 4 × 2,260.00 = 207,920.00');
  expect(over.interpretations).toEqual(['I3', 'I5', 'I7', 'I8']);
  const mw = r.explanations.find((e) => e.figure === 'annual.minWageAvg')!;
  expect(mw.sources).toEqual(['浙政发〔2024〕3号（海宁市执行第2档）']);
});

test('I1 as a setting: counting on the first day of each month changes who counts', () => {
  const hiredMid = { ...person(2, 4), hired: '2025-03-15', contractStart: '2025-03-15' };
  const end = check(employer, [hiredMid], shippedParameters());
  const start = check(employer, [hiredMid], shippedParameters(), { referenceDay: 'month-start' });
  expect(end.months.map((m) => m.disabled).slice(0, 4)).toEqual([0, 0, 1, 1]);
  expect(start.months.map((m) => m.disabled).slice(0, 4)).toEqual([0, 0, 0, 1]);
  expect(() => check(employer, [], shippedParameters(), { nonsense: 1 } as never)).toThrow(/unknown setting/);
});

test('a year outside the tables is refused, never guessed', () => {
  expect(() => check({ ...employer, year: 2030 }, [], shippedParameters())).toThrow(/2030/);
});
