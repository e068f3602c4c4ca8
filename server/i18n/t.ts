/**
 * The one way the product puts words on a page, a report, a notice or the CLI: `t(key, lang, values)`
 * looks the key up in the language's message catalogue (catalogue/zh-CN.ts, catalogue/en.ts) and fills
 * `{name}` placeholders. Views reach it through the `t` helper; nothing branches on the language inline.
 */
import { en } from './catalogue/en';
import { zhCN, type MessageKey } from './catalogue/zh-CN';
import { fill } from './fill';

export type Lang = 'zh' | 'en';
export type { MessageKey };

const CATALOGUES: Record<Lang, Record<string, string>> = { zh: zhCN, en };

/** True when the catalogues have this key. */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/**
 * The text for `key` in `lang`, placeholders filled. An unknown key comes back as itself — visible, so the
 * page tests that fail on identifier-like text catch it.
 */
export function t(key: string, lang: Lang, vars: Record<string, unknown> = {}): string {
  const text = hasMessage(key) ? CATALOGUES[lang][key] : key;
  return fill(text, vars, undefined, lang);
}

/** The catalogue text for `key` in `lang` with its placeholders left in; the key itself when unknown. */
export function raw(key: string, lang: Lang): string {
  return hasMessage(key) ? CATALOGUES[lang][key] : key;
}

/** The command line's way: both languages on one line, Chinese first ("缺少命令 / no command given"). */
export function bilingual(key: MessageKey, vars: Record<string, unknown> = {}): string {
  return `${t(key, 'zh', vars)} / ${t(key, 'en', vars)}`;
}

/** A catalogue text in both languages, for an error raised before the reader's language is known. */
export function said(key: MessageKey, vars: Record<string, unknown> = {}): { zh: string; en: string } {
  return { zh: t(key, 'zh', vars), en: t(key, 'en', vars) };
}

/** The text for a coded value (`status.short`, `exclusion.not-working-age`, …); the code itself when the catalogue lacks it. */
export function label(group: string, code: string, lang: Lang): string {
  return t(`${group}.${code}`, lang);
}

/** The language a `lang` query or cookie value names, Chinese unless it says English. */
export function langOf(value: unknown): Lang {
  return value === 'en' ? 'en' : 'zh';
}
