/** The one formatter: money to the fen, 万元, counts, percentages, official dates and Beijing system times. */
import {
  amount,
  beijingDate,
  beijingToday,
  count,
  officialDate,
  percent,
  systemTime,
  wan,
  yuan,
  yuanFromFen,
} from '../../server/i18n/format';

test('money: grouped, two decimals, unit in the page language', () => {
  expect(yuan(63720)).toBe('63,720.00 元');
  expect(yuan(63720, 'en')).toBe('63,720.00 yuan');
  expect(amount(0)).toBe('0.00');
  expect(amount(1234567.891)).toBe('1,234,567.89');
  expect(amount(0.005)).toBe('0.01');
  expect(amount(-12.5)).toBe('−12.50');
  expect(yuanFromFen(6372000)).toBe('63,720.00 元');
});

test('bureau totals in 万元 with two decimals and the unit', () => {
  expect(wan(637200)).toBe('63.72 万元');
  expect(wan(1234567, 'en')).toBe('1234.57 thousand yuan');
});

test('counts and percentages', () => {
  expect(count(12)).toBe('12');
  expect(count(12.5)).toBe('12.50');
  expect(count(1500)).toBe('1,500');
  expect(percent(0.0083)).toBe('0.83 %');
  expect(percent(0.015)).toBe('1.50 %');
});

test('system times are Beijing wall-clock, whatever the stored zone', () => {
  expect(systemTime('2026-11-29T03:28:41.123Z')).toBe('2026-11-29 11:28');
  expect(systemTime('2026-11-28T20:30:00.000Z')).toBe('2026-11-29 04:30'); // next day in Beijing
  expect(systemTime('2026-11-29 03:28:41')).toBe('2026-11-29 11:28'); // a zone-less stored time is UTC
  expect(systemTime(new Date(Date.UTC(2026, 0, 1, 16, 0)))).toBe('2026-01-02 00:00');
  expect(systemTime(null)).toBe('');
});

test('official dates are Chinese, without a clock time, on the Beijing calendar', () => {
  expect(officialDate('2026-11-29')).toBe('2026年11月29日');
  expect(officialDate('2026-11-28T17:00:00Z')).toBe('2026年11月29日');
  expect(officialDate('2026-11-29', 'en')).toBe('29 November 2026');
  expect(beijingDate('2026-12-31T16:30:00Z')).toBe('2027-01-01');
  expect(beijingToday(new Date('2026-11-28T16:00:00Z'))).toBe('2026-11-29');
});
