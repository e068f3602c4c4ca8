/**
 * Fills `{name}` placeholders in a message — the one implementation behind UI strings (`tr`), CLI text
 * and ingestion problems. A missing or null value becomes `missing(name)` (default: nothing).
 *
 * A word that agrees with a count is written `{name|one|other}` next to the count's own placeholder:
 * `'{n} {n|row|rows} read'`. The form is chosen by the language's plural rules (Intl.PluralRules), so only
 * the English catalogue needs it; a count written with group separators ("1,000") is read as a number.
 * `{name#|one|other}` agrees with how many items a list (separated by , or 、) holds: `'{rows#|row|rows} {rows}'`.
 */
const RULES = { zh: new Intl.PluralRules('zh-CN'), en: new Intl.PluralRules('en') };

/** Chooses each `{name|one|other}` form by the count in `vars[name]`. */
export function plurals(text: string, vars: Record<string, unknown>, lang: 'zh' | 'en' = 'en'): string {
  if (!text.includes('|')) return text;
  return text.replace(
    /\{(\w+)(#?)\|([^|{}]*)\|([^|{}]*)\}/g,
    (_, k: string, list: string, one: string, other: string) => {
      const v = String(vars[k] ?? '');
      const n = list ? v.split(/[,、]/).filter((x) => x.trim()).length : Number(v.replace(/,/g, ''));
      return Number.isFinite(n) && RULES[lang].select(n) === 'one' ? one : other;
    },
  );
}

export function fill(
  text: string,
  vars: Record<string, unknown>,
  missing: (name: string) => string = () => '',
  lang: 'zh' | 'en' = 'en',
): string {
  return plurals(text, vars, lang).replace(/\{(\w+)\}/g, (_, k: string) =>
    vars[k] !== undefined && vars[k] !== null ? String(vars[k]) : missing(k),
  );
}
