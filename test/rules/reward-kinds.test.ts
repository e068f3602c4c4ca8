/**
 * Each reward kind reads its own dated parameter (reward-<kind>.yaml), so a kind whose multiple starts in
 * the middle of a data year is prorated by its own months in force (I10) while the other kinds count the
 * whole year — with no code of its own.
 */
import { loadParameterDefs, buildParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import { employerWith, type Employee } from '../../server/rules/types';

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
const staff = [...Array.from({ length: 30 }, (_, i) => person(i + 2, null)), person(40, 3), person(41, 3)];
const employer = employerWith({
  name: '分类奖励',
  uscc: '91350100M000100Y43',
  county: '海宁市',
  unitType: '企业',
  founded: '2010-01-01',
  year: 2025,
  auxiliaryEmployment: true,
  ecommerce: true,
});

/** The shipped tables, with the e-commerce reward's multiple starting on `from` instead. */
function withEcommerceFrom(from: string) {
  const defs = loadParameterDefs().map((d) =>
    d.id === 'reward-ecommerce' ? { ...d, values: [{ ...d.values[0], from }] } : d,
  );
  return buildParameters(defs);
}

test('a kind that starts on 1 July counts July to December; the kinds in force all year count twelve months', () => {
  const whole = check(employer, staff, withEcommerceFrom('2016-09-16'), { perPersonBasis: 'person-months' });
  const half = check(employer, staff, withEcommerceFrom('2025-07-01'), { perPersonBasis: 'person-months' });
  const amount = (r: typeof whole, kind: string) => r.rewards.find((x) => x.kind === kind)?.amount;
  // the same multiple (2) over the same people: e-commerce equals auxiliary employment for a whole year …
  expect(amount(whole, 'ecommerce')).toBe(amount(whole, 'auxiliary-employment'));
  // … and half of it when it starts on 1 July (the minimum wage is the same all 2025), the other kind unchanged
  expect(amount(half, 'auxiliary-employment')).toBe(amount(whole, 'auxiliary-employment'));
  expect(amount(half, 'ecommerce')).toBeCloseTo(amount(whole, 'ecommerce')! / 2, 2);
  // and only the kind that started within the year cites I10
  const i10 = (r: typeof whole, figure: string) =>
    r.explanations.find((e) => e.figure === figure)?.interpretations?.includes('I10');
  expect([i10(half, 'rewards.ecommerce'), i10(half, 'rewards.auxiliary-employment')]).toEqual([true, false]);
});

test('a kind that starts after the data year gives no reward that year', () => {
  const kinds = (from: string) => check(employer, staff, withEcommerceFrom(from)).rewards.map((r) => r.kind);
  expect(kinds('2016-09-16')).toContain('ecommerce');
  expect(kinds('2026-01-01')).toEqual(kinds('2016-09-16').filter((k) => k !== 'ecommerce'));
});
