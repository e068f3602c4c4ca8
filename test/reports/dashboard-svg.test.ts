/**
 * The dashboard's charts stay legible on a phone: each bar and column chart also comes drawn at the width
 * a 390 px screen shows it (so its text is not scaled down), labels above their bars, and the style sheet
 * shows that drawing on narrow screens only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { barChart, columnChart, NARROW_WIDTH, SERIES_COLOURS } from '../../reports/dashboard/svg';

/** The page's content width at 390 px (the body's side padding taken off). */
const PHONE_CONTENT = 390 - 2 * 12;

const svgs = (html: string, cls: string) =>
  [...html.matchAll(new RegExp(`<svg [^>]*class="${cls}"[\\s\\S]*?</svg>`, 'g'))].map((m) => m[0]);
const fontSizes = (svg: string) => [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
const texts = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const widthOf = (svg: string) => Number(/ width="(\d+)"/.exec(svg)![1]);

test('a bar chart comes wide and for a phone; on the phone its text is full size and unscaled', () => {
  const names = ['南湖区', '秀洲区', '嘉善县', '海盐县', '海宁市', '平湖市', '桐乡市'];
  const html = barChart(
    '各县（市、区）报送率',
    names.map((n, i) => ({ label: n, value: i / 10, display: `${i * 10} %` })),
  );
  expect(svgs(html, 'chart-wide')).toHaveLength(1);
  const [narrow] = svgs(html, 'chart-narrow');
  expect(widthOf(narrow)).toBe(NARROW_WIDTH);
  expect(NARROW_WIDTH).toBeLessThanOrEqual(PHONE_CONTENT); // shown at its own size: 1 unit is 1 px
  expect(Math.min(...fontSizes(narrow))).toBeGreaterThanOrEqual(14);
  for (const n of names) expect(texts(narrow)).toContain(n);
  expect(texts(narrow)).toContain('60 %');
  // every label starts at the left edge, above its bar, so a long one is not cut off
  expect([...narrow.matchAll(/<text x="0" [^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(names);
  expect(narrow).toContain('<title id="');
  expect(narrow).toContain('<desc id="');
});

test('a column chart for a phone is turned on its side, with its legend, each category and each value', () => {
  const html = columnChart(
    'Levy due and rewards by year (thousand yuan)',
    ['2024', '2025'],
    [
      {
        name: 'Levy due',
        colour: SERIES_COLOURS[0],
        values: [6372000, 0],
        display: ['63.72 thousand yuan', '0.00 thousand yuan'],
      },
      {
        name: 'Rewards',
        colour: SERIES_COLOURS[1],
        values: [904000, 904000],
        display: ['9.04 thousand yuan', '9.04 thousand yuan'],
      },
    ],
  );
  expect(svgs(html, 'chart-wide')).toHaveLength(1);
  const [narrow] = svgs(html, 'chart-narrow');
  expect(widthOf(narrow)).toBe(NARROW_WIDTH);
  expect(Math.min(...fontSizes(narrow))).toBeGreaterThanOrEqual(13);
  expect(texts(narrow)).toEqual(
    expect.arrayContaining(['Levy due', 'Rewards', '2024', '2025', '63.72', '0.00', '9.04']),
  );
  // the longest bar and its value fit in the drawing
  const ends = [...narrow.matchAll(/<rect x="0" y="[\d.]+" width="(\d+)"/g)].map((m) => Number(m[1]));
  expect(Math.max(...ends) + 6 + '63.72'.length * 0.6 * 13).toBeLessThanOrEqual(NARROW_WIDTH);
});

test('the style sheet shows the phone drawing on narrow screens only', () => {
  const css = readFileSync(join(__dirname, '..', '..', 'server', 'static', 'app.css'), 'utf8').replace(/\s+/g, ' ');
  expect(css).toContain('svg.chart-narrow { display: none; }');
  expect(css).toMatch(
    /@media \(max-width: 600px\) \{ svg\.chart-wide \{ display: none; \} svg\.chart-narrow \{ display: block; \} \}/,
  );
});
