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
import { amount, count, monthRanges, officialDate, percent, systemTime, wan, yuan } from '../i18n/format';
import { EXCLUSION, EXEMPTION, maskDigits, maskId, maskName, REWARD, SEVERITY, STATUS, SUBSIDY } from '../i18n/labels';
import { hasMessage, label, t, type Lang } from '../i18n/t';
import { problemText, problemWhere } from '../i18n/problems';
import { figureName } from '../i18n/explain';
import { ROOT } from '../paths';

export const VIEWS = join(ROOT, 'views');

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
// {{figureChange figure value other}}: with the other side given, a count that would show the same as it at two
// decimals shows four, so a listed change never reads "0.60 → 0.60"
hb.registerHelper('figureChange', function (f: string, v: unknown, ...rest: unknown[]) {
  const o = rest.pop() as Handlebars.HelperOptions;
  const other = rest[0];
  const lang = langOf(o);
  if (f === 'quota.status' && typeof v === 'string') return label(STATUS, v, lang);
  if (typeof v !== 'number') return String(v ?? '');
  if (/payable|total|Ceiling/.test(f)) return yuan(v, lang);
  if (f === 'concentrated.months') return count(v);
  const close = typeof other === 'number' && Number(count(other)) === Number(count(v));
  return t('unit.persons', lang, { n: close ? v.toFixed(4) : count(v) });
});
/** {{proper x}} — a proper name (an employer, a person, a file) kept as written in any page language: marked translate="no". */
hb.registerHelper(
  'proper',
  (s: unknown) =>
    new Handlebars.SafeString(`<span translate="no">${Handlebars.escapeExpression(String(s ?? ''))}</span>`),
);
/**
 * {{tProper "key" name=x …}} — a message naming a proper name: the words translated, `name` kept as written and
 * marked translate="no". A message naming more than one lists the others: {{tProper "key" proper="keeper other" …}}.
 */
hb.registerHelper('tProper', function (key: string, o: Handlebars.HelperOptions) {
  const { proper, ...values } = o.hash as Record<string, unknown>;
  const names = ['name', ...(typeof proper === 'string' ? proper.split(/\s+/).filter(Boolean) : [])];
  const marks = new Map(names.map((n, i) => [`\uE000${i}\uE001`, n]));
  const marked = { ...values };
  for (const [mark, n] of marks) marked[n] = mark;
  const esc = Handlebars.escapeExpression;
  const parts = t(key, langOf(o), marked).split(/(\uE000\d+\uE001)/);
  if (parts.length === 1) return esc(parts[0]);
  return new Handlebars.SafeString(
    parts
      .map((part) => {
        const n = marks.get(part);
        return n === undefined ? esc(part) : `<span translate="no">${esc(String(values[n] ?? ''))}</span>`;
      })
      .join(''),
  );
});
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (a: unknown, b: unknown) => a || b);
hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
hb.registerHelper('join', (a: unknown, sep: unknown) =>
  Array.isArray(a) ? a.join(typeof sep === 'string' ? sep : ', ') : '',
);
hb.registerHelper('monthRanges', function (ms: unknown, o: Handlebars.HelperOptions) {
  return Array.isArray(ms) ? monthRanges(ms as number[], langOf(o)) : '';
});
/** {{certFindings list}}: what the register found that the reader must act on (valid certificates left out), or null. */
hb.registerHelper('certFindings', (xs: unknown) => {
  const out = Array.isArray(xs) ? (xs as { finding: string }[]).filter((x) => x.finding !== 'valid') : [];
  return out.length ? out : null;
});
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
/**
 * {{subStatus sub}} — a submission's status in words; a superseded version says which version superseded it.
 * {{claimStatus claim}} — a reward application's, the same way. {{subClass sub}} — the status's style class.
 */
type Superseded = { status?: string; superseded_by_version?: number | null };
hb.registerHelper('subStatus', function (x: Superseded | undefined, o: Handlebars.HelperOptions) {
  if (x?.superseded_by_version) return t('sub.superseded', langOf(o), { n: x.superseded_by_version });
  return t(`sub.${x?.status ?? ''}`, langOf(o));
});
hb.registerHelper('claimStatus', function (x: Superseded | undefined, o: Handlebars.HelperOptions) {
  if (x?.superseded_by_version) return t('sub.superseded', langOf(o), { n: x.superseded_by_version });
  return t(`claim.status.${x?.status ?? ''}`, langOf(o));
});
hb.registerHelper('subClass', (x: Superseded | undefined) =>
  x?.superseded_by_version ? 'sub-superseded' : `sub-${x?.status ?? ''}`,
);
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
