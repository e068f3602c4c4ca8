/** The command line's own checks, light enough to run before any command's modules are loaded. */
import type { MessageKey } from '../i18n/t';
import type { Settings } from '../rules/interpretations';
import { Q } from '../rules/money';

/**
 * What a usage mistake says: a catalogue message in both languages, with what comes before it (the command)
 * and after it (what was given). The catalogues are loaded only when a mistake is reported.
 */
export interface UsageWords {
  key: MessageKey;
  values?: Record<string, unknown>;
  before?: string;
  after?: string;
}

/** A mistake on the command line (unknown command or option, bad flag value): a message and exit 2. */
export class UsageError extends Error {
  readonly words?: UsageWords;
  constructor(message: string | UsageWords) {
    super(typeof message === 'string' ? message : message.key);
    if (typeof message !== 'string') this.words = message;
    this.name = 'UsageError';
  }
}
/** `--set key=value` → a settings override; numbers and null are parsed, the rest stays text. */
export function parseSettings(pairs: string[], collectionDate?: string): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i < 0) throw new RangeError(`--set expects key=value, got ${p}`);
    const k = p.slice(0, i),
      v = p.slice(i + 1);
    out[k] = v === 'null' ? null : /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  if (collectionDate) out.collectionDate = collectionDate;
  return out as Partial<Settings>;
}

/** A plain amount in 元 (digits, at most two decimals). */
export function parseAmount(text: string, what: string): Q {
  if (!/^\d+(\.\d{1,2})?$/.test(text.trim()))
    throw new UsageError(
      `${what}：应为金额（元，最多两位小数），例如 96000 / ${what} expects an amount in 元 with at most two decimals, e.g. 96000 (got "${text}")`,
    );
  return Q.parse(text.trim());
}
