/** The data a result page shows, from a stored check — shared by the employer and the bureau views. */
import type { Lang } from '../../server/ingest/messages';
import type { CheckResult, Problem, ProblemTotals } from '../../server/rules/result';
import { parseStoredResult, problemsIn } from '../stored-result';

/** A stored check as the views need it: its id and the stored result. */
export interface StoredCheck { id: string; result_json: string }

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
  explanationsByFigure: { figure: string; value: string; formula: string; clauses: string[]; interpretations: string[] }[];
  whatIfSteps1: CheckResult['whatIf']['steps'];
}

const FIGURE_ORDER = ['annual.avgStaff', 'annual.avgDisabled', 'annual.avgWeighted', 'annual.ratio', 'quota.required', 'quota.shortfall', 'quota.excess', 'quota.status', 'annual.wageTotal', 'annual.avgWage', 'annual.wageBase', 'levy.full', 'levy.rate', 'levy.exemption', 'levy.payable', 'annual.minWageAvg', 'concentrated.vatRefundCeiling', 'concentrated.landUseTaxRelief'];

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
    explanationsByFigure: ordered.map((e) => ({ figure: e.figure, value: valueOf(e.figure, e.formula), formula: e.formula, clauses: e.clauses, interpretations: e.interpretations ?? [] })),
    whatIfSteps1: result ? result.whatIf.steps.filter((s) => s.weight === 1) : [],
  };
}

/** The value part of an explanation: the result of a formula, or the verdict of a statement ("short — …"). */
function valueOf(figure: string, formula: string): string {
  if (formula.startsWith(`${figure}: `)) return formula.slice(figure.length + 2).split(' — ')[0];
  return formula.split(' = ').pop() ?? '';
}
