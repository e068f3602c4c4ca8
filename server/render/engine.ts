/**
 * Handlebars views: layouts/, partials/ and pages/ under views/, compiled once and cached. Helpers format
 * money, percentages and dates, translate UI strings, label codes and mask personal data.
 */
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXCLUSION, EXEMPTION, label, maskDigits, maskId, maskName, REWARD, SEVERITY, STATUS, SUBSIDY } from '../i18n/labels';
import { tr } from '../i18n/ui';
import { CLAUSES, isClauseId } from '../rules/clauses';

export const VIEWS = join(__dirname, '..', '..', 'views');

type Lang = 'zh' | 'en';
const hb = Handlebars.create();
const langOf = (o: Handlebars.HelperOptions) => ((o.data?.root?.lang as Lang) ?? 'zh');

hb.registerHelper('t', function (key: string, o: Handlebars.HelperOptions) { return tr(key, langOf(o), o.hash); });
hb.registerHelper('money', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : ''));
hb.registerHelper('num', (n: unknown) => (typeof n === 'number' ? (Number.isInteger(n) ? String(n) : n.toFixed(2)) : ''));
hb.registerHelper('pct', (n: unknown) => (typeof n === 'number' ? `${(n * 100).toFixed(2)} %` : ''));
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (a: unknown, b: unknown) => a || b);
hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
hb.registerHelper('join', (a: unknown, sep: unknown) => (Array.isArray(a) ? a.join(typeof sep === 'string' ? sep : ', ') : ''));
hb.registerHelper('maskName', (s: unknown) => (typeof s === 'string' ? maskName(s) : ''));
hb.registerHelper('maskId', (s: unknown) => (typeof s === 'string' ? maskId(s) : ''));
hb.registerHelper('maskDigits', (s: unknown) => (typeof s === 'string' ? maskDigits(s) : ''));
hb.registerHelper('severityLabel', function (k: string, o: Handlebars.HelperOptions) { return label(SEVERITY, k, langOf(o)); });
hb.registerHelper('fmtTime', (s: unknown) => (typeof s === 'string' ? s.slice(0, 16).replace('T', ' ') : ''));
hb.registerHelper('quotaLabel', function (k: string, o: Handlebars.HelperOptions) { return label(STATUS, k, langOf(o)); });
hb.registerHelper('exclusionLabel', function (k: string, o: Handlebars.HelperOptions) { return label(EXCLUSION, k, langOf(o)); });
hb.registerHelper('rewardLabel', function (k: string, o: Handlebars.HelperOptions) { return label(REWARD, k, langOf(o)); });
hb.registerHelper('subsidyLabel', function (k: string, o: Handlebars.HelperOptions) { return label(SUBSIDY, k, langOf(o)); });
hb.registerHelper('exemptionLabel', function (k: string, o: Handlebars.HelperOptions) { return label(EXEMPTION, k, langOf(o)); });
hb.registerHelper('clauseText', function (c: string, o: Handlebars.HelperOptions) { return isClauseId(c) ? CLAUSES[c][langOf(o)] : c; });
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
