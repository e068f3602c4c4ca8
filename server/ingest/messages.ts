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
  return fill(raw(`problem.${code}`, lang), params, (k) => `{${k}}`, lang);
}

export function hasMessage(code: string): code is MessageCode {
  return hasKey(`problem.${code}`);
}
