/**
 * Handlebars views: layouts/, partials/ and pages/ under views/, compiled once and cached. Words come from
 * the message catalogues through `t` (views never branch on the language), figures and times from the one
 * formatter (server/i18n/format.ts), personal data is masked by helpers.
 */
import Handlebars from 'handlebars';
import { taxFormRows } from '../i18n/tax-form';
import type { CheckResult } from '../rules/result';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { amount, count, officialDate, percent, systemTime, wan, yuan } from '../i18n/format';
import { EXCLUSION, EXEMPTION, maskDigits, maskId, maskName, REWARD, SEVERITY, STATUS, SUBSIDY } from '../i18n/labels';
import { hasMessage, label, t, type Lang } from '../i18n/t';
import { problemText, problemWhere } from '../i18n/problems';
import { figureName } from '../i18n/explain';

export const VIEWS = join(__dirname, '..', '..', 'views');

const hb = Handlebars.create();
const langOf = (o: Handlebars.HelperOptions) => (o.data?.root?.lang as Lang) ?? 'zh';
const num = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** {{t "key" name=value}} — the catalogue text in the page's language. */
hb.registerHelper('t', function (key: string, o: Handlebars.HelperOptions) {
  return t(key, langOf(o), o.hash);
});
/** {{money n}} — "63,720.00 元"; {{amount n}} — "63,720.00" where the column heading carries the unit; {{wan n}} — "6.37 万元". */
hb.registerHelper('money', function (n: unknown, o: Handlebars.HelperOptions) {
  return num(n) ? yuan(n, langOf(o)) : '';
});
hb.registerHelper('amount', (n: unknown) => (num(n) ? amount(n) : ''));
hb.registerHelper('wan', function (n: unknown, o: Handlebars.HelperOptions) {
  return num(n) ? wan(n, langOf(o)) : '';
});
hb.registerHelper('num', (n: unknown) => (num(n) ? count(n) : ''));
hb.registerHelper('pct', (n: unknown) => (num(n) ? percent(n) : ''));
/** {{time at}} — a system record's time in Beijing, "2026-11-29 11:28"; {{date at}} — an official date, "2026年11月29日". */
hb.registerHelper('time', (s: unknown) => (typeof s === 'string' || s instanceof Date ? systemTime(s) : ''));
hb.registerHelper('date', function (s: unknown, o: Handlebars.HelperOptions) {
  return typeof s === 'string' || s instanceof Date ? officialDate(s, langOf(o)) : '';
});
/** {{persons n}} — "12.50 人" / "12.50". */
hb.registerHelper('persons', function (n: unknown, o: Handlebars.HelperOptions) {
  return num(n) ? t('unit.persons', langOf(o), { n: count(n) }) : '';
});
/** {{place "海宁市"}} — a county or unit type in the page's language (as written when the catalogue lacks it). */
hb.registerHelper('place', function (s: unknown, o: Handlebars.HelperOptions) {
  return typeof s === 'string' && hasMessage(`place.${s}`) ? t(`place.${s}`, langOf(o)) : s;
});
/** {{subsidyNote subsidy}} — the subsidy's note in the page's language. */
hb.registerHelper(
  'subsidyNote',
  function (x: { kind: string; note: string; noteParams?: Record<string, number> }, o: Handlebars.HelperOptions) {
    return hasMessage(`subsidyNote.${x.kind}`) ? t(`subsidyNote.${x.kind}`, langOf(o), x.noteParams ?? {}) : x.note;
  },
);
/** {{problemWhere p}} / {{problemText p}} — where a problem is (sheet, row, column) and what to do, in the page's language, personal data masked. */
hb.registerHelper('problemWhere', function (p: Parameters<typeof problemWhere>[0], o: Handlebars.HelperOptions) {
  return problemWhere(p, langOf(o));
});
hb.registerHelper('problemText', (p: Parameters<typeof problemText>[0]) => problemText(p));
/** {{figureName "levy.payable"}} — a figure's official name; {{figureChange figure value}} — its value in a version diff. */
hb.registerHelper('figureName', function (f: string, o: Handlebars.HelperOptions) {
  return figureName(f, langOf(o));
});
hb.registerHelper('figureChange', function (f: string, v: unknown, o: Handlebars.HelperOptions) {
  const lang = langOf(o);
  if (f === 'quota.status' && typeof v === 'string') return label(STATUS, v, lang);
  if (typeof v !== 'number') return String(v ?? '');
  if (/payable|total|Ceiling/.test(f)) return yuan(v, lang);
  if (f === 'concentrated.months') return count(v);
  return t('unit.persons', lang, { n: count(v) });
});
/** {{proper x}} — a proper name (an employer, a person, a file) kept as written in any page language: marked translate="no". */
hb.registerHelper(
  'proper',
  (s: unknown) =>
    new Handlebars.SafeString(`<span translate="no">${Handlebars.escapeExpression(String(s ?? ''))}</span>`),
);
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (a: unknown, b: unknown) => a || b);
hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
hb.registerHelper('join', (a: unknown, sep: unknown) =>
  Array.isArray(a) ? a.join(typeof sep === 'string' ? sep : ', ') : '',
);
hb.registerHelper('maskName', (s: unknown) => (typeof s === 'string' ? maskName(s) : ''));
hb.registerHelper('maskId', (s: unknown) => (typeof s === 'string' ? maskId(s) : ''));
hb.registerHelper('maskDigits', (s: unknown) => (typeof s === 'string' ? maskDigits(s) : ''));
hb.registerHelper('severityLabel', function (k: string, o: Handlebars.HelperOptions) {
  return label(SEVERITY, k, langOf(o));
});
hb.registerHelper('quotaLabel', function (k: string, o: Handlebars.HelperOptions) {
  return label(STATUS, k, langOf(o));
});
hb.registerHelper('exclusionLabel', function (k: string, o: Handlebars.HelperOptions) {
  return label(EXCLUSION, k, langOf(o));
});
hb.registerHelper('rewardLabel', function (k: string, o: Handlebars.HelperOptions) {
  return label(REWARD, k, langOf(o));
});
hb.registerHelper('subsidyLabel', function (k: string, o: Handlebars.HelperOptions) {
  return label(SUBSIDY, k, langOf(o));
});
hb.registerHelper('exemptionLabel', function (k: string, o: Handlebars.HelperOptions) {
  return label(EXEMPTION, k, langOf(o));
});
hb.registerHelper('clauseText', function (c: string, o: Handlebars.HelperOptions) {
  return label('clause', c, langOf(o));
});
hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
hb.registerHelper('fenToYuan', (n: unknown) => Number(n) / 100);
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
hb.registerHelper('includes', (a: unknown, v: unknown) => Array.isArray(a) && a.includes(v));
hb.registerHelper('taxFormRows', function (r: CheckResult | undefined, o: Handlebars.HelperOptions) {
  return r?.taxForm ? taxFormRows(r, langOf(o)) : [];
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.hbs') ? [p] : [];
  });
}

const compiled = new Map<string, Handlebars.TemplateDelegate>();
let partialsLoaded = false;

function template(name: string): Handlebars.TemplateDelegate {
  if (!partialsLoaded) {
    for (const p of walk(join(VIEWS, 'partials')))
      hb.registerPartial(relative(join(VIEWS, 'partials'), p).replace(/\.hbs$/, ''), readFileSync(p, 'utf8'));
    partialsLoaded = true;
  }
  let t = compiled.get(name);
  if (!t) {
    t = hb.compile(readFileSync(join(VIEWS, `${name}.hbs`), 'utf8'), { strict: false });
    compiled.set(name, t);
  }
  return t;
}

/** Renders pages/<page> inside layouts/<layout>. */
export function render(page: string, data: Record<string, unknown>, layout = 'main'): string {
  const body = template(`pages/${page}`)(data);
  return template(`layouts/${layout}`)({ ...data, body });
}
