/**
 * One i18n mechanism: views never branch on the language, every key they or the code use is in both
 * catalogues with the same placeholders, and each catalogue speaks its own language.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../server/i18n/catalogue/en';
import { zhCN } from '../../server/i18n/catalogue/zh-CN';
import { hasMessage, t } from '../../server/i18n/t';

const ROOT = join(__dirname, '..', '..');
function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(f) ? [p] : [];
  });
}
const views = files(join(ROOT, 'views'), /\.hbs$/);

/** A Handlebars expression that reads the page language: `(eq lang "en")`, `@root.lang`, `../lang`. */
export const INLINE_LANGUAGE_BRANCH = /\{\{[^}]*(?:^|[\s(]|@root\.|\.\.\/)lang\b[^}]*\}\}/;

test('no view branches on the language inline (words come from the catalogues through t)', () => {
  const offenders = views
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f, i, line })),
    )
    .filter((x) => INLINE_LANGUAGE_BRANCH.test(x.line))
    .map((x) => `${x.f.slice(ROOT.length + 1)}:${x.i + 1}`);
  expect(offenders).toEqual([]);
});

test('the check itself catches the inline branches views used to have', () => {
  for (const s of [
    '{{#if (eq lang "en")}}Print{{else}}打印{{/if}}',
    '{{#if (eq @root.lang "en")}}x{{/if}}',
    '{{#unless (eq ../lang "en")}} 版{{/unless}}',
    '{{#if lang}}x{{/if}}',
  ]) {
    expect(INLINE_LANGUAGE_BRANCH.test(s)).toBe(true);
  }
  expect(INLINE_LANGUAGE_BRANCH.test('<html lang="{{t "meta.htmlLang"}}">')).toBe(false);
});

test('both catalogues have the same keys, none empty, with the same placeholders', () => {
  expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  const holes = (s: string) => [...s.matchAll(/\{(\w+(?::\w+)?)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
    expect(`${k}: ${zhCN[k].trim() ? 'ok' : 'empty'}`).toBe(`${k}: ok`);
    expect(`${k}: ${en[k].trim() ? 'ok' : 'empty'}`).toBe(`${k}: ok`);
    expect({ k, p: holes(en[k]) }).toEqual({ k, p: holes(zhCN[k]) });
  }
});

test('every key a view asks for is in the catalogues', () => {
  const missing: string[] = [];
  for (const f of views) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\{\{t "([^"]+)"/g))
      if (!hasMessage(m[1])) missing.push(`${f.slice(ROOT.length + 1)}: ${m[1]}`);
    for (const m of readFileSync(f, 'utf8').matchAll(/\(t "([^"]+)"/g))
      if (!hasMessage(m[1])) missing.push(`${f.slice(ROOT.length + 1)}: ${m[1]}`);
  }
  expect(missing).toEqual([]);
});

test('every key the code asks for by literal is in the catalogues', () => {
  const missing: string[] = [];
  for (const f of [...files(join(ROOT, 'server'), /\.ts$/), ...files(join(ROOT, 'reports'), /\.ts$/)]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:t|tr)\('([A-Za-z][\w.-]*)'/g))
      if (!hasMessage(m[1])) missing.push(`${f.slice(ROOT.length + 1)}: ${m[1]}`);
  }
  expect(missing).toEqual([]);
});

/** Workbook vocabulary the English text has to quote (the values a clerk types into the template). */
const QUOTED_WORKBOOK_VALUES =
  /“[^”]*”|"[^"]*"|\b是\b|\b否\b|是|否|姓名|身份证号|《[^》]*》|〔\d{4}〕|嘉政发|财税|QuotaDesk/g;

test('the English catalogue has no Chinese words except the workbook values it quotes', () => {
  const chinese = Object.entries(en).filter(
    ([k, v]) => k !== 'switchLang' && k !== 'appName' && /[\u3400-\u9fff]/.test(v.replace(QUOTED_WORKBOOK_VALUES, '')),
  );
  expect(chinese).toEqual([]);
});

test('the Chinese catalogue has no English sentences', () => {
  const english = Object.entries(zhCN).filter(
    ([k, v]) =>
      k !== 'switchLang' &&
      k !== 'meta.htmlLang' &&
      k !== 'meta.otherLang' &&
      /[A-Za-z]+\s+[A-Za-z]+\s+[A-Za-z]+/.test(v.replace(/QuotaDesk|quota \w+ \w+|Excel|WPS|CSV|UTF-8/g, '')),
  );
  expect(english).toEqual([]);
});

test('an unknown key comes back as itself, so page tests see it', () => {
  expect(t('no.suchKey', 'zh')).toBe('no.suchKey');
  expect(t('submitted', 'zh', { v: 2 })).toBe('已报送（第 2 版）');
  expect(t('submitted', 'en', { v: 2 })).toBe('Submitted (version 2)');
});
