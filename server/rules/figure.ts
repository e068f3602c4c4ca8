/**
 * Every figure explains itself: its formula, the same formula with the actual inputs filled in, the
 * result, its clauses, the interpretations it relies on and the parameter sources it used. Rule files
 * call `explain()` where they compute; nothing is written by hand after the fact.
 */
import type { ClauseId } from './clauses';
import type { InterpretationId } from './interpretations';

/**
 * The same explanation as data, for words in the reader's language: `case` names the wording (the
 * catalogue's `formula.<figure>.<case>`), `values` the numbers it fills in (money in 元, ratios as
 * fractions, counts as numbers, dates as ISO strings). The formula text above stays for `--json` readers.
 */
export interface FormulaWords {
  case: string;
  values: Record<string, number | string>;
}

export interface Explanation {
  figure: string;
  formula: string;
  words?: FormulaWords;
  clauses: ClauseId[];
  interpretations?: InterpretationId[];
  sources?: string[];
}

export class Explainer {
  readonly items: Explanation[] = [];

  /**
   * explain('levy.payable', 'shortfall × wageBase × rate', '2.25 × 86,400.00 × 50 %', '97,200.00', ['L72'])
   *   → "levy.payable = shortfall × wageBase × rate = 2.25 × 86,400.00 × 50 % = 97,200.00"
   */
  explain(
    figure: string,
    symbolic: string,
    filled: string,
    result: string,
    clauses: ClauseId[],
    extra: { interpretations?: InterpretationId[]; sources?: string[]; note?: string; words?: FormulaWords } = {},
  ): void {
    const parts = [figure, symbolic];
    if (filled && filled !== symbolic && filled !== result) parts.push(filled);
    parts.push(result);
    const formula = parts.join(' = ') + (extra.note ? `（${extra.note}）` : '');
    const e: Explanation = { figure, formula, clauses: [...new Set(clauses)] };
    if (extra.words) e.words = extra.words;
    if (extra.interpretations?.length) e.interpretations = extra.interpretations;
    const sources = [...new Set(extra.sources ?? [])].filter(Boolean);
    if (sources.length) e.sources = sources;
    this.items.push(e);
  }

  /** A figure that is a plain statement rather than arithmetic (a status, an exemption). */
  state(
    figure: string,
    statement: string,
    clauses: ClauseId[],
    extra: { interpretations?: InterpretationId[]; sources?: string[]; words?: FormulaWords } = {},
  ): void {
    const e: Explanation = { figure, formula: `${figure}: ${statement}`, clauses: [...new Set(clauses)] };
    if (extra.words) e.words = extra.words;
    if (extra.interpretations?.length) e.interpretations = extra.interpretations;
    if (extra.sources?.length) e.sources = [...new Set(extra.sources)];
    this.items.push(e);
  }
}

export interface Warning {
  code: string;
  message: string;
  /** The values the warning's words fill in (catalogue `warning.<code>`). */
  params?: Record<string, number | string>;
}

/**
 * A rational as a plain number for words, to ten decimals: the words show an input exactly when it ends within
 * eight decimals and to eight decimals with "…" otherwise, so every formula shown reproduces its result with
 * the numbers it shows (a result is the figure as rounded).
 */
export function wordsNumber(q: { toFixed(dp: number): string }): number {
  return Number(q.toFixed(10));
}
