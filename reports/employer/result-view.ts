/** The data a result page shows, from a stored check — shared by the employer and the bureau views. */
import {
  clauseCitation,
  explanationLine,
  figureName,
  figureNumber,
  figureValue,
  formulaInWords,
  interpretationSentence,
  warningWords,
} from '../../server/i18n/explain';
import type { Lang } from '../../server/i18n/t';
import type { CheckResult, Problem, ProblemTotals } from '../../server/rules/result';
import { parseStoredResult, problemsIn } from '../stored-result';

/** A stored check as the views need it: its id and the stored result. */
export interface StoredCheck {
  id: string;
  result_json: string;
}

export interface ResultView {
  checkId: string;
  result: CheckResult | null;
  problems: Problem[];
  /** Every problem counted; `problems` lists at most the cap of them. */
  problemTotals: ProblemTotals;
  /** How many problems were found but are not listed. */
  problemsNotListed: number;
  errors: Problem[];
  notes: Problem[];
  rewardTotal: number;
  /** Each figure in words: official name, value with unit, formula with numbers, policy cited, interpretations as sentences. */
  explanationsByFigure: ExplainedFigure[];
  whatIfSteps1: CheckResult['whatIf']['steps'];
  /** How many a hire with a heavier certificate counts for (the weight of the what-if's second series). */
  heavyWeight: number;
  /** The engine's notes in the reader's language. */
  warnings: string[];
  /**
   * The levy is provisional (暂估, docs/rules.md §6.1): the year's social average wage is not yet
   * published, so the cap on the pay used for the levy was not checked; the sentence says why and what
   * changes it.
   */
  provisional: string | null;
}

export interface ExplainedFigure {
  figure: string;
  name: string;
  value: string;
  /** The value as a number with its kind, for a spreadsheet cell (null for a status or a yes/no). */
  number: { value: number; kind: 'money' | 'percent' | 'persons' | 'count' } | null;
  /** "name = formula in words with the numbers = result"; the name alone when the engine gave no wording. */
  line: string;
  /** The formula part alone (what follows the name), or empty. */
  formula: string;
  clauses: string[];
  interpretations: string[];
}

const FIGURE_ORDER = [
  'annual.avgStaff',
  'annual.avgDisabled',
  'annual.avgWeighted',
  'annual.ratio',
  'quota.required',
  'quota.shortfall',
  'quota.excess',
  'quota.status',
  'annual.wageTotal',
  'annual.avgWage',
  'annual.wageBase',
  'levy.full',
  'levy.rate',
  'levy.exemption',
  'levy.payable',
  'annual.minWageAvg',
  'concentrated.vatRefundCeiling',
  'concentrated.landUseTaxRelief',
];

/** `lang` is the reader's: problems are rendered in it, whatever language the upload was made in. */
export function resultView(c: StoredCheck, lang: Lang): ResultView {
  const stored = parseStoredResult(c.result_json);
  const problems = problemsIn(stored, lang);
  const result: CheckResult | null = stored.result ? { ...stored.result, problems } : null;
  const explanations = result?.explanations ?? [];
  const ordered = [
    ...FIGURE_ORDER.flatMap((f) => explanations.filter((e) => e.figure === f)),
    ...explanations.filter((e) => e.figure.startsWith('rewards.')),
  ];
  return {
    checkId: c.id,
    result,
    problems,
    problemTotals: stored.problemTotals,
    problemsNotListed: stored.problemTotals.count - problems.length,
    errors: problems.filter((p) => p.severity === 'error'),
    notes: problems.filter((p) => p.severity !== 'error'),
    rewardTotal: result ? Math.round(result.rewards.reduce((a, r) => a + r.amount, 0) * 100) / 100 : 0,
    explanationsByFigure: ordered.map((e) => ({
      figure: e.figure,
      name: figureName(e.figure, lang),
      value: figureValue(e, lang),
      number: figureNumber(e),
      line: explanationLine(e, lang),
      formula: formulaInWords(e, lang) ?? '',
      clauses: e.clauses.map((id) => clauseCitation(id, lang)),
      interpretations: (e.interpretations ?? []).map((id) => interpretationSentence(id, lang)),
    })),
    whatIfSteps1: result ? result.whatIf.steps.filter((s) => s.weight === 1) : [],
    heavyWeight: result ? Math.max(1, ...result.whatIf.steps.map((s) => s.weight)) : 1,
    warnings: result ? result.warnings.map((w) => warningWords(w, lang)) : [],
    provisional: result ? provisionalReason(result, lang) : null,
  };
}

/** Why the levy is provisional, when it is: one sentence in the reader's language. */
function provisionalReason(r: CheckResult, lang: Lang): string | null {
  const w = r.warnings.find((x) => x.code === 'wage-cap-not-checked');
  return w && r.levy.payable > 0 ? warningWords(w, lang) : null;
}
