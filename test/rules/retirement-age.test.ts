import { shippedParameters } from '../../server/params/load-parameters';
import { retirementRule } from '../../server/rules/parameters/lookup';
import { isWorkingAge, retirementAge } from '../../server/rules/people/retirement-age';
import { formatMonthIndex } from '../../server/rules/calendar';

const rule = retirementRule(shippedParameters(), '2025-06-30').value;
const retires = (birth: string, sex: 'M' | 'F', post: '工人' | '干部' = '工人') => {
  const r = retirementAge(rule, birth, sex, post);
  return { age: `${r.years}y${r.delayMonths}m`, lastMonth: formatMonthIndex(r.lastMonth) };
};

describe("R24 retirement ages (points of the decision's own table)", () => {
  test('men: +1 month every 4 months from the 1965-01 cohort, capped at 63', () => {
    expect(retires('1964-12-15', 'M')).toEqual({ age: '60y0m', lastMonth: '2024-12' });
    expect(retires('1965-01-01', 'M')).toEqual({ age: '60y1m', lastMonth: '2025-02' });
    expect(retires('1965-03-10', 'M')).toEqual({ age: '60y1m', lastMonth: '2025-04' });
    expect(retires('1965-05-01', 'M')).toEqual({ age: '60y2m', lastMonth: '2025-07' });
    expect(retires('1976-12-01', 'M')).toEqual({ age: '60y36m', lastMonth: '2039-12' });
    expect(retires('1980-01-01', 'M')).toEqual({ age: '60y36m', lastMonth: '2043-01' });
  });
  test('women with original age 50 (工人): +1 month every 2 months from 1975-01, capped at 55', () => {
    expect(retires('1974-12-01', 'F')).toEqual({ age: '50y0m', lastMonth: '2024-12' });
    expect(retires('1975-01-01', 'F')).toEqual({ age: '50y1m', lastMonth: '2025-02' });
    expect(retires('1975-06-15', 'F')).toEqual({ age: '50y3m', lastMonth: '2025-09' });
    expect(retires('1984-12-01', 'F')).toEqual({ age: '50y60m', lastMonth: '2039-12' });
  });
  test('women with original age 55 (干部): +1 month every 4 months from 1970-01, capped at 58', () => {
    expect(retires('1969-12-01', 'F', '干部')).toEqual({ age: '55y0m', lastMonth: '2024-12' });
    expect(retires('1970-01-01', 'F', '干部')).toEqual({ age: '55y1m', lastMonth: '2025-02' });
    expect(retires('1981-12-01', 'F', '干部')).toEqual({ age: '55y36m', lastMonth: '2039-12' });
  });
  test('working age starts in the month of the 16th birthday', () => {
    expect(isWorkingAge(rule, '2009-07-20', 'M', '工人', 2025, 6)).toBe(false);
    expect(isWorkingAge(rule, '2009-07-20', 'M', '工人', 2025, 7)).toBe(true);
  });
});
