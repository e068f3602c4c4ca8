/**
 * The administrator's form for one parameter: its fields come from the same value schema that checks the
 * shipped YAML files (schema.ts), the submitted fields are turned back into a value, and the schema's
 * findings are said per field in the administrator's language — never as JSON.
 */
import type { z } from 'zod';
import { t, type Lang } from '../i18n/t';
import { isValidISODate } from '../rules/calendar';
import { COUNTIES } from '../rules/types';
import { RATE, schemaOf, valueIssues } from './schema';

/** `percent`: a ratio, stored as a decimal (0.015) and entered as a percentage (1.5). */
export type FieldKind = 'number' | 'percent' | 'text' | 'choice' | 'choices' | 'numbers';

export interface ValueField {
  path: (string | number)[];
  /** the form field's name: `value` for a single figure, `value.a.b` inside a value with parts */
  name: string;
  kind: FieldKind;
  optional: boolean;
  options: string[];
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodTypeAny>;
  innerType?: z.ZodTypeAny;
  element?: z.ZodTypeAny;
  items?: z.ZodTypeAny[];
  entries?: Record<string, string>;
  in?: z.ZodTypeAny;
}
const defOf = (s: z.ZodTypeAny): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function walk(schema: z.ZodTypeAny, path: (string | number)[], optional: boolean, out: ValueField[]): void {
  const d = defOf(schema);
  const field = (kind: FieldKind, options: string[] = []) =>
    out.push({ path, name: ['value', ...path].join('.'), kind, optional, options });
  switch (d.type) {
    case 'nullable':
    case 'optional':
      walk(d.innerType!, path, true, out);
      return;
    case 'pipe':
      walk(d.in!, path, optional, out);
      return;
    case 'object':
      for (const [k, v] of Object.entries(d.shape!)) walk(v, [...path, k], optional, out);
      return;
    case 'tuple':
      d.items!.forEach((v, i) => walk(v, [...path, i], optional, out));
      return;
    case 'array': {
      const e = defOf(d.element!);
      if (e.type === 'enum') field('choices', Object.values(e.entries!));
      else field('numbers');
      return;
    }
    case 'enum':
      field('choice', Object.values(d.entries!));
      return;
    case 'number':
      field(schema === RATE ? 'percent' : 'number');
      return;
    default:
      field('text');
  }
}

/** The fields of parameter `id`'s form, in the schema's order. */
export function valueFields(id: string): ValueField[] {
  const schema = schemaOf(id);
  if (!schema) return [];
  const out: ValueField[] = [];
  walk(schema, [], false, out);
  return out;
}

/** Moves the decimal point of a plain decimal numeral `places` to the right (left when negative), exactly. */
function shiftPoint(numeral: string, places: number): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(numeral);
  if (!m) return numeral;
  const [, sign, int, frac = ''] = m;
  let digits = int + frac;
  let point = int.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const rest = digits.slice(point).replace(/0+$/, '');
  return `${sign}${whole}${rest ? `.${rest}` : ''}`;
}

/** A ratio as the percentage typed for it, exactly: 0.015 → "1.5", 0.0005 → "0.05" (no floating-point product). */
export function ratioAsPercent(ratio: number): string {
  const s = String(ratio);
  return shiftPoint(/e/i.test(s) ? ratio.toFixed(20) : s, 2);
}

/** The ratio a typed percentage stands for ("1.5", "1.5 %" → 0.015); what is not a number stays as typed. */
export function percentAsRatio(typed: string): number | string {
  const s = typed.replace(/[%％,，\s]/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return typed;
  return Number(shiftPoint(s.startsWith('.') ? `0${s}` : s.replace(/\.$/, ''), -2));
}

const setAt = (root: Record<string, unknown>, path: (string | number)[], v: unknown): void => {
  let o: Record<string | number, unknown> = root;
  path.slice(0, -1).forEach((p, i) => {
    o[p] ??= typeof path[i + 1] === 'number' ? [] : {};
    o = o[p] as Record<string | number, unknown>;
  });
  o[path[path.length - 1]] = v;
};

/** Turns the submitted fields into the value the schema checks; a figure that is not a number stays as typed so the schema names it. */
export function valueFromForm(id: string, body: Record<string, unknown>): unknown {
  const fields = valueFields(id);
  const read = (f: ValueField): unknown => {
    const rawValue = body[f.name];
    if (f.kind === 'choices')
      return (Array.isArray(rawValue) ? rawValue : rawValue === undefined || rawValue === '' ? [] : [rawValue]).map(
        String,
      );
    const s = String(rawValue ?? '').trim();
    if (s === '') return f.optional ? null : undefined;
    if (f.kind === 'number') {
      const n = Number(s.replace(/[,，\s]/g, ''));
      return Number.isFinite(n) ? n : s;
    }
    if (f.kind === 'percent') return percentAsRatio(s);
    if (f.kind === 'numbers')
      return s
        .split(/[,，、\s]+/)
        .filter(Boolean)
        .map((x) => (Number.isFinite(Number(x)) ? Number(x) : x));
    return s;
  };
  if (fields.length === 1 && fields[0].path.length === 0) return read(fields[0]);
  const value: Record<string, unknown> = {};
  for (const f of fields) setAt(value, f.path, read(f));
  return value;
}

/** The form's values back from a stored value (to prefill the form with the value in force). */
export function formFromValue(id: string, value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of valueFields(id)) {
    let v: unknown = value;
    for (const p of f.path) v = v == null ? undefined : (v as Record<string | number, unknown>)[p];
    out[f.name] =
      v == null
        ? ''
        : Array.isArray(v)
          ? v.join(f.kind === 'choices' ? '|' : ', ')
          : f.kind === 'percent' && typeof v === 'number'
            ? ratioAsPercent(v)
            : String(v);
  }
  return out;
}

/** A field's label: the parameter's own name for a single figure, the part names joined for a value with parts. */
export function fieldLabel(id: string, f: ValueField, lang: Lang): string {
  if (f.path.length === 0) return t('bureau.parameters.field.value', lang);
  return f.path
    .map((p) =>
      typeof p === 'number' ? t(`bureau.parameters.part.${p}`, lang) : t(`bureau.parameters.field.${p}`, lang),
    )
    .join(' · ');
}

/** A coded choice under its name (unit types, the late fee's start). */
export function choiceLabel(option: string, lang: Lang): string {
  return option.match(/^[a-z-]+$/) ? t(`bureau.parameters.choice.${option}`, lang) : t(`place.${option}`, lang);
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** A bound of a ratio said as the percentage the form asks for ("100 %"). */
const percentBound = (n: number | bigint | undefined) => `${ratioAsPercent(Number(n))} %`;

/** What a finding asks of the person; a ratio's (entered as a percentage) in percentages. */
function issueMessage(i: z.core.$ZodIssue, lang: Lang, percent = false): string {
  const x = i as unknown as {
    code: string;
    expected?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    inclusive?: boolean;
    origin?: string;
    format?: string;
  };
  switch (x.code) {
    case 'invalid_type':
      if (/received (undefined|null)/.test(i.message)) return t('bureau.parameters.err.required', lang);
      return t(
        x.expected === 'int'
          ? 'bureau.parameters.err.integer'
          : x.expected === 'number'
            ? percent
              ? 'bureau.parameters.err.percent'
              : 'bureau.parameters.err.number'
            : 'bureau.parameters.err.format',
        lang,
      );
    case 'too_small':
      if (x.origin === 'array') return t('bureau.parameters.err.chooseOne', lang);
      return t(x.inclusive === false ? 'bureau.parameters.err.above' : 'bureau.parameters.err.atLeast', lang, {
        n: percent ? percentBound(x.minimum) : String(x.minimum),
      });
    case 'too_big':
      return t('bureau.parameters.err.atMost', lang, { n: percent ? percentBound(x.maximum) : String(x.maximum) });
    case 'invalid_value':
      return t('bureau.parameters.err.choose', lang);
    case 'invalid_format':
      return t(x.format === 'regex' ? 'bureau.parameters.err.digits' : 'bureau.parameters.err.format', lang);
    default:
      return t('bureau.parameters.err.format', lang);
  }
}

/** The value's problems by field, in the administrator's language (the schema's findings, said for a person). */
export function valueFormProblems(id: string, value: unknown, lang: Lang): FieldProblem[] {
  const issues = valueIssues(id, value);
  if (!issues)
    return [{ field: t('bureau.parameters.field.parameter', lang), message: t('bureau.parameters.err.choose', lang) }];
  const fields = valueFields(id);
  return issues.map((i) => {
    // the deepest field the finding lies in (a tuple's or object's finding names its first field)
    const f =
      fields.find((x) => x.path.join('.') === i.path.join('.')) ??
      fields.find((x) => x.path.join('.').startsWith(i.path.join('.'))) ??
      fields[0];
    return { field: fieldLabel(id, f, lang), message: issueMessage(i, lang, f.kind === 'percent') };
  });
}

export interface DatedEntry {
  key?: string;
  from: string;
  to?: string;
  source: string;
}

/** Problems with the dates, the county or tier, and the source, by field. */
export function entryProblems(keyedBy: string | undefined, e: DatedEntry, lang: Lang): FieldProblem[] {
  const out: FieldProblem[] = [];
  const say = (field: string, message: string) =>
    out.push({ field: t(`bureau.parameters.field.${field}`, lang), message: t(message, lang) });
  if (keyedBy === 'county' && !COUNTIES.includes(e.key as (typeof COUNTIES)[number]))
    say('county', 'bureau.parameters.err.choose');
  if (keyedBy === 'tier' && !['1', '2', '3', '4'].includes(e.key ?? '')) say('tier', 'bureau.parameters.err.choose');
  if (!isValidISODate(e.from)) say('from', 'bureau.parameters.err.date');
  if (e.to && !isValidISODate(e.to)) say('to', 'bureau.parameters.err.date');
  else if (e.to && isValidISODate(e.from) && e.to < e.from) say('to', 'bureau.parameters.err.toBeforeFrom');
  if (!e.source.trim()) say('source', 'bureau.parameters.err.source');
  return out;
}
