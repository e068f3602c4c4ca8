/**
 * English words that agree with a count ("1 more disabled hire", "2 more disabled hires") are chosen by the
 * language's plural rules through the catalogue's `{n|one|other}` forms, never written for one number only.
 */
import { en } from '../../server/i18n/catalogue/en';
import { zhCN } from '../../server/i18n/catalogue/zh-CN';
import { explanationLine, warningWords } from '../../server/i18n/explain';
import { plurals } from '../../server/i18n/fill';
import { t } from '../../server/i18n/t';

test('a plural form follows the count, read as a number even with group separators', () => {
  const text = '{n} {n|row|rows} read';
  expect(plurals(text, { n: 1 }).replace('{n}', '1')).toBe('1 row read');
  expect(plurals(text, { n: 0 })).toBe('{n} rows read');
  expect(plurals(text, { n: 2 })).toBe('{n} rows read');
  expect(plurals(text, { n: '1,000' })).toBe('{n} rows read');
  expect(plurals(text, { n: 1.5 })).toBe('{n} rows read');
  // a list's form follows how many items it holds, not the number of its one item
  expect(plurals('{rows#|row|rows}', { rows: '21' })).toBe('row');
  expect(plurals('{rows#|row|rows}', { rows: '3,21' })).toBe('rows');
  expect(plurals('{years#|year|years}', { years: '2025、2026' })).toBe('years');
});

test('the English catalogue speaks of one as one and of many as many', () => {
  expect(t('rowsRead', 'en', { n: 1 })).toBe('1 row read');
  expect(t('rowsRead', 'en', { n: 12 })).toBe('12 rows read');
  expect(t('whatIfToZero', 'en', { a: 1, b: 1, weight: 2 })).toMatch(
    /^To bring the levy to zero: 1 more disabled hire, /,
  );
  expect(t('whatIfToZero', 'en', { a: 3, b: 2, weight: 2 })).toMatch(/: 3 more disabled hires, /);
  expect(t('cli.toZero', 'en', { a: 1, b: 1, weight: 2 })).toContain('1 more disabled hire,');
  expect(t('problemsNotListed', 'en', { n: 1, count: 1001 })).toMatch(/^1 more problem is not listed \(1001 in all\)/);
  expect(t('problemsNotListed', 'en', { n: 5, count: 1005 })).toMatch(/^5 more problems are not listed/);
  expect(t('problems.summary', 'en', { n: 1 })).toBe('1 problem found; nothing was computed yet.');
  expect(t('home.outcome.errors', 'en', { n: 1 })).toBe('1 error');
  expect(t('home.outcome.errors', 'en', { n: 4 })).toBe('4 errors');
  expect(t('result.employeesN', 'en', { n: 1 })).toBe('1 employee');
  expect(t('result.monthsLeft', 'en', { n: 1 })).toBe('1 month left');
  expect(t('bureau.notices.toHandle', 'en', { n: 1 })).toBe('1 objection to handle');
  expect(t('bureau.dashboard.rateOf', 'en', { received: 1, expected: 1 })).toBe('1 of 1 employer has submitted');
  expect(t('bureau.dashboard.rateOf', 'en', { received: 1, expected: 3 })).toBe('1 of 3 employers has submitted');
  expect(t('bureau.dashboard.rateOf', 'en', { received: 0, expected: 3 })).toBe('0 of 3 employers have submitted');
  expect(t('notice.doc.period', 'en', { start: 'a', end: 'b', days: 1 })).toBe('Notice period: a to b (1 day).');
  expect(t('loginLimited', 'en', { s: 1 })).toBe('Too many attempts; try again in 1 second');
  expect(t('bureau.parameters.wageMissing', 'en', { years: '2026' })).toMatch(
    /^The social average wage for 2026 has not been entered: every levy of that year is/,
  );
  expect(t('bureau.parameters.wageMissing', 'en', { years: '2025, 2026' })).toMatch(
    /for 2025, 2026 have not been entered: every levy of those years is/,
  );
  // Chinese has one form: nothing changes there
  expect(t('rowsRead', 'zh', { n: 1 })).toBe(zhCN.rowsRead.replace('{n}', '1'));
});

test('warnings and formulas in words agree with their counts', () => {
  const month = { code: 'concentrated-not-assessed', message: '', params: { months: '4' } };
  expect(warningWords(month, 'en')).toMatch(/^Month 4 precedes .*, so it was not assessed/);
  expect(warningWords({ ...month, params: { months: '1,2,3,4' } }, 'en')).toMatch(
    /^Months 1,2,3,4 precede .*, so they were not assessed/,
  );
  const rows = { code: 'short-contract-not-staff', message: '', params: { rows: '12' } };
  expect(warningWords(rows, 'en')).toMatch(/^The employee in row 12 has a contract shorter than one year and is not/);
  expect(warningWords({ ...rows, params: { rows: '12,14' } }, 'en')).toMatch(
    /^The employees in rows 12,14 have contracts/,
  );
  const reward = (monthsInForce: number) =>
    explanationLine(
      {
        figure: 'rewards.over-quota',
        formula: '',
        clauses: [],
        words: {
          case: 'partYear',
          values: { persons: 1, multiple: 4, minWage: 2490, monthsInForce, result: 830 },
        },
      },
      'en',
    );
  expect(reward(1)).toContain('× 1 month in force');
  expect(reward(7)).toContain('× 7 months in force');
});

/** Verbs and words that follow a placeholder without counting it. */
const NOT_COUNTED = new Set(['is', 'has', 'does', 'exceeds', 'figures']);

test('no English message puts a bare plural noun after a count', () => {
  const bare: string[] = [];
  for (const [k, v] of Object.entries(en))
    for (const m of v.matchAll(/\{(\w+)(?::\w+)?\}\)? (?:more |accepted |disabled )*([a-z]+s)\b/g))
      if (!NOT_COUNTED.has(m[2])) bare.push(`${k}: ${m[0]}`);
  expect(bare).toEqual([]);
});

test('plural forms live only in the English catalogue and name a count the message has', () => {
  const FORM = /\{(\w+)#?\|[^|{}]*\|[^|{}]*\}/g;
  const hasForm = (v: string) => [...v.matchAll(FORM)].length > 0;
  expect(Object.entries(zhCN).filter(([, v]) => hasForm(v))).toEqual([]);
  const orphans: string[] = [];
  for (const [k, v] of Object.entries(en))
    for (const m of v.matchAll(FORM)) if (!new RegExp(`\\{${m[1]}(?::\\w+)?\\}`).test(v)) orphans.push(`${k}: ${m[0]}`);
  expect(orphans).toEqual([]);
  expect(Object.values(en).filter(hasForm).length).toBeGreaterThan(20);
});
