/**
 * Every computed figure in words: its official name, the formula in words with the numbers
 * and units filled in, the policy cited by name and article, each interpretation as one plain sentence.
 * The engine's explanation carries the data (`words.case`, `words.values`); the wording is the
 * catalogue's `formula.<figure>.<case>`, where `{name:kind}` is formatted by kind (money, persons,
 * percent, count, date). The engine's own formula text stays for `--json` and the API.
 */
import type { Explanation, Warning } from '../rules/figure';
import { plurals } from './fill';
import { count, exactNumber, officialDate, percent, yuan } from './format';
import { hasMessage, label, raw, t, type Lang } from './t';

/** `months[3].concentrated` → `months.concentrated` with month 3; other figures as they are. */
function normalise(figure: string): { base: string; month?: number } {
  const m = /^months\[(\d+)\]\.(.+)$/.exec(figure);
  return m ? { base: `months.${m[2]}`, month: Number(m[1]) } : { base: figure };
}

/** The official name of a figure (UX.md §1): 上年在职职工人数（年平均）, 差额人数, … */
export function figureName(figure: string, lang: Lang): string {
  const { base, month } = normalise(figure);
  if (!hasMessage(`figure.${base}`) && base.startsWith('rewards.'))
    return label('reward', base.slice('rewards.'.length), lang);
  return t(`figure.${base}`, lang, { month });
}

/**
 * A value by its kind. Inside a formula (`exact`) numbers carry the digits the formula needs to reproduce its
 * result (0.3125 人, not 0.31 人); a figure's own value, shown beside its name, is rounded as figures are.
 */
function formatValue(v: number | string | undefined, kind: string | undefined, lang: Lang, exact = false): string {
  if (v === undefined || v === '') return '';
  if (typeof v === 'string' && kind !== 'date' && kind !== 'place') return v;
  const counted = (n: number) => (exact ? (Number.isInteger(n) ? count(n) : exactNumber(n, 2)) : count(n));
  switch (kind) {
    case 'money':
      return exact ? `${exactNumber(Number(v), 2)} ${lang === 'en' ? 'yuan' : '元'}` : yuan(Number(v), lang);
    case 'persons':
      return t('unit.persons', lang, { n: counted(Number(v)) });
    case 'percent':
      // a ratio compared with a threshold: enough digits that 0.996 % is never shown as 1.00 %
      return exact ? `${exactNumber(Number(v) * 100, 2, 4)} %` : percent(Number(v));
    case 'count':
      return counted(Number(v));
    case 'date':
      return officialDate(String(v), lang);
    case 'place':
      return hasMessage(`place.${v}`) ? t(`place.${v}`, lang) : String(v);
    default:
      return String(v);
  }
}

/** Fills `{name}` and `{name:kind}` from the values, formatting each by its kind. */
function fillWords(text: string, values: Record<string, number | string>, lang: Lang): string {
  return plurals(text, values, lang).replace(/\{(\w+)(?::(\w+))?\}/g, (_, name: string, kind?: string) =>
    formatValue(values[name], kind, lang, true),
  );
}

function templateKey(e: Explanation): string | null {
  if (!e.words) return null;
  const { base } = normalise(e.figure);
  for (const k of [`formula.${base}.${e.words.case}`, `formula.${base.split('.')[0]}.${e.words.case}`])
    if (hasMessage(k)) return k;
  return null;
}

/** The formula in words with the numbers filled in (the right-hand side), or null when there is no wording. */
export function formulaInWords(e: Explanation, lang: Lang): string | null {
  const key = templateKey(e);
  if (!key || !e.words) return null;
  const { month } = normalise(e.figure);
  return fillWords(raw(key, lang), { ...e.words.values, ...(month ? { month } : {}) }, lang);
}

/** "应缴残疾人就业保障金 = 差额人数 0.80 人 × 计征工资 88,500.00 元 × 90.00 % = 63,720.00 元". */
export function explanationLine(e: Explanation, lang: Lang): string {
  const words = formulaInWords(e, lang);
  const name = figureName(e.figure, lang);
  if (!words) return name;
  const key = templateKey(e)!;
  return /= \{result:\w+\}$/.test(raw(key, 'zh'))
    ? `${name} = ${words}`
    : `${name}${lang === 'en' ? ': ' : '：'}${words}`;
}

/** The figure's value with its unit, in words for statuses and yes/no figures. */
export function figureValue(e: Explanation, lang: Lang): string {
  const { base } = normalise(e.figure);
  const w = e.words;
  if (!w) return '';
  if (base === 'quota.status') return label('status', w.case, lang);
  if (base === 'levy.exemption') return label('exemption', w.case, lang);
  if (base === 'months.concentrated' || base === 'concentrated.landUseTaxRelief')
    return t(w.case === 'yes' ? 'yes' : 'no', lang);
  if (w.case === 'taxPreference') return t('none', lang);
  const key = templateKey(e);
  const kind = key ? /\{result:(\w+)\}/.exec(raw(key, 'zh'))?.[1] : undefined;
  // words without the value in them (减缴后缴纳比例：无应缴金额) have no value to show beside the name
  if (key && !kind) return t('figure.notApplicable', lang);
  return formatValue(w.values.result, kind, lang);
}

/** The figure's value as a number with its kind (money, percent, persons, count), when it is one. */
export function figureNumber(
  e: Explanation,
): { value: number; kind: 'money' | 'percent' | 'persons' | 'count' } | null {
  const { base } = normalise(e.figure);
  if (!e.words || base === 'quota.status' || base === 'levy.exemption') return null;
  const key = templateKey(e);
  const kind = key ? /\{result:(\w+)\}/.exec(raw(key, 'zh'))?.[1] : undefined;
  const v = e.words.values.result;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return kind === 'money' || kind === 'percent' || kind === 'persons' || kind === 'count' ? { value: v, kind } : null;
}

/** A clause cited by the policy's name and article. */
export function clauseCitation(id: string, lang: Lang): string {
  return label('clause', id, lang);
}

/** An interpretation as one plain sentence. */
export function interpretationSentence(id: string, lang: Lang): string {
  return label('interp', id, lang);
}

/** A warning in the reader's language (its words from the catalogue when it has them). */
export function warningWords(w: Warning, lang: Lang): string {
  const key = `warning.${w.code}`;
  return hasMessage(key) ? t(key, lang, w.params ?? {}) : w.message;
}
