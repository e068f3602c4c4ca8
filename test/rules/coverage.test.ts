/**
 * Temporal coverage of the parameter tables: `check()` runs for every supported year × county × unit type,
 * on a small employer (the exemptions) and on a concentrated-employment one with every reward flag (the
 * concentrated, reward, subsidy and VAT parameters), and fails when any parameter it needs is missing.
 * The years come from the tables (supportedYears), so adding next year's values extends this test by itself.
 */
import { shippedParameters } from '../../server/params/load-parameters';
import { Q } from '../../server/rules/money';
import { check } from '../../server/rules/check';
import { supportedYears } from '../../server/rules/parameters/lookup';
import { employerWith, COUNTIES, UNIT_TYPES, type Employee, type Employer } from '../../server/rules/types';

const params = shippedParameters();
const { first, last } = supportedYears(params);

function staff(n: number, opts: { disabledFrom: number; year: number }): Employee[] {
  return Array.from({ length: n }, (_, i): Employee => ({
    row: i + 2,
    name: `职工${i}`,
    idNumber: `33048119900101${String(i).padStart(3, '0')}X`,
    birthDate: '1990-01-01',
    sex: i % 2 ? 'M' : 'F',
    cert: i >= opts.disabledFrom ? { category: 4, grade: 1 + (i % 4) } : null,
    veteranGrade: null,
    hired: `${opts.year - 3}-01-01`,
    left: null,
    contractStart: `${opts.year - 3}-01-01`,
    contractEnd: null,
    form: '全日制',
    dispatchCountedHere: false,
    insuredMonths: null,
    wagesFen: new Array(12).fill(1_000_000),
    femalePost: '工人',
  }));
}

const employer = (
  year: number,
  county: Employer['county'],
  unitType: Employer['unitType'],
  flags: Partial<Employer> = {},
): Employer =>
  employerWith({
    name: '覆盖测试',
    uscc: '91330481MA2B3C4D01',
    county,
    unitType,
    founded: `${year - 1}-06-01`,
    year,
    ...flags,
  });

test('the supported years come from the tables and reach the current ones', () => {
  expect(first).toBeLessThanOrEqual(last);
  expect(last).toBeGreaterThanOrEqual(2025);
});

const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
describe.each(years)('%i', (year) => {
  test.each(COUNTIES.flatMap((c) => UNIT_TYPES.map((u) => [c, u] as const)))(
    '%s %s: every parameter check() needs is there',
    (county, unitType) => {
      // a small new employer: the small-enterprise and start-up exemptions are looked up
      const small = check(employer(year, county, unitType), staff(8, { disabledFrom: 8, year }), params);
      expect(small.months).toHaveLength(12);
      expect(small.months.every((m) => m.minWage > 0)).toBe(true);
      // a concentrated-employment unit with every reward flag: concentrated, reward, subsidy and VAT parameters
      const flags = {
        ecommerce: true,
        povertyReliefBase: true,
        familiesSupported: 3,
        auxiliaryEmployment: true,
        wageTotal: Q.parse('9000000'),
      };
      const big = check(employer(year, county, unitType, flags), staff(40, { disabledFrom: 25, year }), params);
      expect(big.quota.ratio).toBeGreaterThan(0);
      expect(big.explanations.length).toBeGreaterThan(0);
    },
  );
});
