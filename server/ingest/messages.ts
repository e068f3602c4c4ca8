/**
 * Problem messages by stable problem code; the words are in the message catalogues under `problem.<code>`.
 * `{x}` is replaced by the parameter x. Each message says what is wrong and how to fix it.
 */
import { fill } from '../i18n/fill';
import { hasMessage as hasKey, raw, type Lang, type MessageKey } from '../i18n/t';

export type { Lang };

type CodeOf<K> = K extends `problem.${infer C}` ? C : never;
export type MessageCode = CodeOf<MessageKey>;

export function message(code: MessageCode, params: Record<string, string | number>, lang: Lang): string {
  // a field of the upload form is named by its label on the form, in the reader's language
  const vars =
    typeof params.formField === 'string' ? { ...params, formField: formFieldLabel(params.formField, lang) } : params;
  return fill(
    raw(`problem.${code}`, lang),
    vars,
    (k) => (k === 'formField' ? String(params.field ?? '') : `{${k}}`),
    lang,
  );
}

/** The label the upload form shows for one of its fields (an `EMPLOYER_FIELDS` key), or the key itself. */
export function formFieldLabel(key: string, lang: Lang): string {
  const k = `upload.csv.${key}`;
  return hasKey(k) ? raw(k as MessageKey, lang) : key;
}

export function hasMessage(code: string): code is MessageCode {
  return hasKey(`problem.${code}`);
}
