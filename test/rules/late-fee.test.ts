/** Late fee (I11) and back-billing of skipped years (docs/rules.md §13): the pure helpers. */
import { shippedParameters } from '../../server/params/load-parameters';
import { computeArrears, lateFee, levyAsIfNobodyPlaced } from '../../server/rules/late-fee';
import { Q } from '../../server/rules/money';
import { employerWith, type Employer } from '../../server/rules/types';

const params = shippedParameters();
const employer: Employer = employerWith({
  name: '嘉兴测试有限公司',
  uscc: '91330481MA2B3C4D5X',
  county: '海宁市',
  unitType: '企业',
  founded: '2010-01-01',
  year: 2024,
});

test('5 ‰ a day from the day after the due date through the payment date', () => {
  const r = lateFee(Q.of(10000), '2025-09-30', '2025-10-30', params);
  expect(r).toMatchObject({ days: 30, fee: 1500, dailyRate: 0.005 });
  expect(r.explanation.formula).toBe(
    'lateFee = arrears × dailyRate × days = 10,000.00 × 0.5 % × 30 = 1,500.00（day after 2025-09-30 … 2025-10-30）',
  );
  expect(r.explanation.interpretations).toEqual(['I11', 'I8']);
});

test('across a year end and a leap day', () => {
  expect(lateFee(Q.of(10000), '2023-12-31', '2024-03-01', params).days).toBe(31 + 29 + 1);
  expect(lateFee(Q.of(10000), '2025-02-28', '2025-03-01', params).days).toBe(1);
});

test('the start rule is data: counting the due date too adds one day', () => {
  const p = params.withValues([
    {
      id: 'late-fee',
      value: { from: '2030-01-01', value: { dailyRate: 0.005, start: 'due-date' }, source: 'test value' },
    },
  ]);
  expect(lateFee(Q.of(10000), '2030-09-30', '2030-10-30', p)).toMatchObject({ days: 31, fee: 1550 });
  expect(lateFee(Q.of(10000), '2030-09-30', '2030-09-30', p)).toMatchObject({ days: 0, fee: 0 });
});

test('a year with no verification is billed as if nobody was placed, by the same rules', () => {
  const r = levyAsIfNobodyPlaced(employer, Array(12).fill(Q.of(100)), Q.of(7_200_000), params);
  // 100 × 1.5 % = 1.5 persons short × 72,000 = 108,000; ratio 0 < 1 % → 90 % → 97,200
  expect(r.full.toFixed(2)).toBe('108000.00');
  expect(r.levy.toFixed(2)).toBe('97200.00');
  expect(r.exemption).toBeNull();
  const small = levyAsIfNobodyPlaced(employer, Array(12).fill(Q.of(30)), Q.of(2_160_000), params);
  expect(small.levy.isZero()).toBe(true);
  expect(small.exemption).toBe('small-enterprise');
});

test('arrears: each unpaid year with its late fee, totals exact', () => {
  const r = computeArrears(
    [
      { year: 2024, levy: Q.of(97200), basis: 'nobody-placed', due: '2025-09-30' },
      { year: 2023, levy: Q.of(18000), basis: 'verified', due: '2024-09-30' },
    ],
    '2025-10-30',
    params,
  );
  expect(r.lines.map((l) => [l.year, l.basis, l.arrears, l.days, l.lateFee, l.total])).toEqual([
    [2023, 'verified', 18000, 395, 35550, 53550],
    [2024, 'nobody-placed', 97200, 30, 14580, 111780],
  ]);
  expect(r).toMatchObject({ arrears: 115200, lateFee: 50130, total: 165330 });
});

test('a part already paid lowers the arrears the fee runs on', () => {
  const r = computeArrears(
    [{ year: 2024, levy: Q.of(10000), paid: Q.of(4000), basis: 'verified', due: '2025-09-30' }],
    '2025-10-30',
    params,
  );
  expect(r.lines[0]).toMatchObject({ arrears: 6000, lateFee: 900, total: 6900 });
});
