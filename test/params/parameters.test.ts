import {
  buildParameters,
  loadParameterDefs,
  parseParameterFile,
  shippedParameters,
} from '../../server/params/load-parameters';
import { MONTHS, lastDayOfMonth } from '../../server/rules/calendar';
import { minWage, supportedYears } from '../../server/rules/parameters/lookup';
import { MissingParameterError, ParameterFileError } from '../../server/rules/parameters/table';
import { COUNTIES } from '../../server/rules/types';

const defs = loadParameterDefs();
/** The year of the latest minimum wage in the YAML, read from the file's values (not written into the test). */
const latestMinWageYear = Math.max(
  ...defs.find((d) => d.id === 'min-wage')!.values.map((v) => Number(v.from.slice(0, 4))),
);

describe('shipped parameter tables', () => {
  test('every value has a source and every file a clause', () => {
    for (const d of defs) {
      expect(d.clauses.length).toBeGreaterThan(0);
      for (const v of d.values) expect(v.source.trim().length).toBeGreaterThan(0);
    }
  });
  test('supported years run from 2016 to the year of the latest minimum wage', () => {
    expect(supportedYears(shippedParameters())).toEqual({ first: 2016, last: latestMinWageYear });
  });
  test('temporal coverage: a minimum wage for every county in every month of every supported year, and the 2nd tier figures', () => {
    const p = shippedParameters();
    const { first, last } = supportedYears(p);
    for (let y = first; y <= last; y++)
      for (const m of MONTHS) for (const c of COUNTIES) expect(() => minWage(p, c, lastDayOfMonth(y, m))).not.toThrow();
    const at = (d: string) => minWage(p, '海宁市', d).value.toNumber();
    expect([
      at('2016-01-31'),
      at('2017-11-30'),
      at('2017-12-01'),
      at('2021-07-31'),
      at('2021-08-01'),
      at('2024-01-01'),
      at('2026-01-01'),
    ]).toEqual([1660, 1660, 1800, 1800, 2070, 2260, 2430]);
  });
  test('L98 window and the wage cap switch on their dates', () => {
    const p = shippedParameters();
    expect(p.maybeAt('levy-reduction', '2019-12-31')).toBeNull();
    expect(p.maybeAt('levy-reduction', '2020-01-01')).not.toBeNull();
    expect(p.maybeAt('levy-reduction', '2027-12-31')).not.toBeNull();
    expect(p.maybeAt('levy-reduction', '2028-01-01')).toBeNull();
    expect(p.at('wage-cap-multiple', '2017-03-31').value).toBeNull();
    expect(p.at('wage-cap-multiple', '2017-04-01').value).toBe(3);
    expect(p.at('wage-cap-multiple', '2018-04-01').value).toBe(2);
  });
  test('a date with nothing in force is an error, not a silent 0', () => {
    expect(() => shippedParameters().at('quota-ratio', '2007-12-31')).toThrow(MissingParameterError);
  });
  test("next year's minimum wage is a data change: adding it extends the supported years", () => {
    const next = latestMinWageYear + 1;
    const before = minWage(shippedParameters(), '海宁市', `${latestMinWageYear}-12-31`).value.toNumber();
    const p = buildParameters(
      defs,
      ['1', '2', '3'].map((tier) => ({
        id: 'min-wage',
        value: { from: `${next}-07-01`, key: tier, value: before + 170, source: '假设的新通知' },
      })),
    );
    expect(supportedYears(p).last).toBe(next);
    expect(minWage(p, '海宁市', `${next}-07-31`).value.toNumber()).toBe(before + 170);
    expect(minWage(p, '海宁市', `${next}-06-30`).value.toNumber()).toBe(before);
  });
});

describe('validation at load', () => {
  test('overlapping values are rejected', () => {
    expect(() =>
      buildParameters(defs, [{ id: 'quota-ratio', value: { from: '2008-01-01', value: 0.02, source: 'x' } }]),
    ).toThrow(/two values from 2008-01-01/);
    const withTo = defs.map((d) =>
      d.id === 'levy-reduction'
        ? { ...d, values: [...d.values, { from: '2027-01-01', value: d.values[0].value, source: 'x' }] }
        : d,
    );
    expect(() => buildParameters(withTo)).toThrow(/overlaps/);
  });
  test('a missing county is rejected', () => {
    const noCounty = defs.map((d) =>
      d.id === 'county-tier' ? { ...d, values: d.values.filter((v) => v.key !== '桐乡市') } : d,
    );
    expect(() => buildParameters(noCounty)).toThrow(/county-tier: no value for county 桐乡市/);
  });
  test('a value without a source, a bad date or a wrong shape is rejected with the file name', () => {
    expect(() =>
      parseParameterFile(
        'id: quota-ratio\ntitle: {zh: a, en: b}\nclauses: [ZJ]\nvalues:\n  - {from: 2030-01-01, value: 0.02, source: ""}\n',
        'q.yaml',
      ),
    ).toThrow(ParameterFileError);
    expect(() =>
      parseParameterFile(
        'id: quota-ratio\ntitle: {zh: a, en: b}\nclauses: [ZJ]\nvalues:\n  - {from: 2030-13-01, value: 0.02, source: s}\n',
        'q.yaml',
      ),
    ).toThrow(/2030-13-01|from/);
    expect(() =>
      parseParameterFile(
        'id: quota-ratio\ntitle: {zh: a, en: b}\nclauses: [ZJ]\nvalues:\n  - {from: 2030-01-01, value: 2, source: s}\n',
        'q.yaml',
      ),
    ).toThrow(/q.yaml values\[0\]/);
    expect(() =>
      parseParameterFile('id: quota-ratio\ntitle: {zh: a, en: b}\nclauses: [J9.9]\nvalues: []\n', 'q.yaml'),
    ).toThrow(/unknown clause id/);
  });
});
