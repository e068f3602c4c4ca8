/**
 * Handlebars views: layouts/, partials/ and pages/ under views/, compiled once and cached. Words come from
 * the message catalogues through `t` (views never branch on the language), figures and times from the one
 * formatter (server/i18n/format.ts), personal data is masked by helpers.
 */
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { amount, count, officialDate, percent, systemTime, wan, yuan } from '../i18n/format';
import { EXCLUSION, EXEMPTION, maskDigits, maskId, maskName, REWARD, SEVERITY, STATUS, SUBSIDY } from '../i18n/labels';
import { label, t, type Lang } from '../i18n/t';

export const VIEWS = join(__dirname, '..', '..', 'views');

const hb = Handlebars.create();
const langOf = (o: Handlebars.HelperOptions) => ((o.data?.root?.lang as Lang) ?? 'zh');
const num = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** {{t "key" name=value}} — the catalogue text in the page's language. */
hb.registerHelper('t', function (key: string, o: Handlebars.HelperOptions) { return t(key, langOf(o), o.hash); });
/** {{money n}} — "63,720.00 元"; {{amount n}} — "63,720.00" where the column heading carries the unit; {{wan n}} — "6.37 万元". */
hb.registerHelper('money', function (n: unknown, o: Handlebars.HelperOptions) { return num(n) ? yuan(n, langOf(o)) : ''; });
hb.registerHelper('amount', (n: unknown) => (num(n) ? amount(n) : ''));
hb.registerHelper('wan', function (n: unknown, o: Handlebars.HelperOptions) { return num(n) ? wan(n, langOf(o)) : ''; });
hb.registerHelper('num', (n: unknown) => (num(n) ? count(n) : ''));
hb.registerHelper('pct', (n: unknown) => (num(n) ? percent(n) : ''));
/** {{time at}} — a system record's time in Beijing, "2026-11-29 11:28"; {{date at}} — an official date, "2026年11月29日". */
hb.registerHelper('time', (s: unknown) => (typeof s === 'string' || s instanceof Date ? systemTime(s) : ''));
hb.registerHelper('date', function (s: unknown, o: Handlebars.HelperOptions) { return typeof s === 'string' || s instanceof Date ? officialDate(s, langOf(o)) : ''; });
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (a: unknown, b: unknown) => a || b);
hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
hb.registerHelper('join', (a: unknown, sep: unknown) => (Array.isArray(a) ? a.join(typeof sep === 'string' ? sep : ', ') : ''));
hb.registerHelper('maskName', (s: unknown) => (typeof s === 'string' ? maskName(s) : ''));
hb.registerHelper('maskId', (s: unknown) => (typeof s === 'string' ? maskId(s) : ''));
hb.registerHelper('maskDigits', (s: unknown) => (typeof s === 'string' ? maskDigits(s) : ''));
hb.registerHelper('severityLabel', function (k: string, o: Handlebars.HelperOptions) { return label(SEVERITY, k, langOf(o)); });
hb.registerHelper('quotaLabel', function (k: string, o: Handlebars.HelperOptions) { return label(STATUS, k, langOf(o)); });
hb.registerHelper('exclusionLabel', function (k: string, o: Handlebars.HelperOptions) { return label(EXCLUSION, k, langOf(o)); });
hb.registerHelper('rewardLabel', function (k: string, o: Handlebars.HelperOptions) { return label(REWARD, k, langOf(o)); });
hb.registerHelper('subsidyLabel', function (k: string, o: Handlebars.HelperOptions) { return label(SUBSIDY, k, langOf(o)); });
hb.registerHelper('exemptionLabel', function (k: string, o: Handlebars.HelperOptions) { return label(EXEMPTION, k, langOf(o)); });
hb.registerHelper('clauseText', function (c: string, o: Handlebars.HelperOptions) { return label('clause', c, langOf(o)); });
hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
hb.registerHelper('fenToYuan', (n: unknown) => Number(n) / 100);
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));

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
    for (const p of walk(join(VIEWS, 'partials'))) hb.registerPartial(relative(join(VIEWS, 'partials'), p).replace(/\.hbs$/, ''), readFileSync(p, 'utf8'));
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
