/**
 * The one reader and writer of a stored check result (`checks.result_json`). A stored result carries
 * `resultVersion`; its problems are kept as data (code, parameters, place, masked employee) without their
 * message, which is rendered in the reader's language when shown.
 *
 * Versions: 1 (no `resultVersion` field) — problems with messages rendered at upload time in the
 * uploader's language, uncapped; 2 — problems without messages, capped, with `problemTotals`.
 */
import { createHash } from 'node:crypto';
import type { Lang } from '../server/ingest/messages';
import { renderProblem, storedProblem, totalsOf } from '../server/ingest/problem';
import type { CheckResult, Problem, ProblemsResult, ProblemTotals, StoredProblem } from '../server/rules/result';

export const RESULT_VERSION = 2;

export interface StoredResult {
  version: number;
  /** The computed result (its problems not rendered), or null for a workbook with errors. */
  result: (Omit<CheckResult, 'problems'> & { problems: StoredProblem[] }) | null;
  problems: StoredProblem[];
  problemTotals: ProblemTotals;
  /** Every stored field as read, for code that scans the whole result (the retention scrub). */
  fields: Readonly<Record<string, unknown>>;
}

/** The JSON text stored for a result: versioned, problems without messages. */
export function serializeResult(r: CheckResult | ProblemsResult): string {
  return JSON.stringify({ resultVersion: RESULT_VERSION, ...r, problems: r.problems.map(storedProblem) });
}

export function parseStoredResult(json: string): StoredResult {
  const raw = JSON.parse(json) as Record<string, unknown> & {
    resultVersion?: number;
    problems?: StoredProblem[];
    problemTotals?: ProblemTotals;
  };
  const version = typeof raw.resultVersion === 'number' ? raw.resultVersion : 1;
  if (version > RESULT_VERSION)
    throw new Error(`stored result version ${version} is newer than this program reads (${RESULT_VERSION})`);
  const { resultVersion: _v, ...body } = raw;
  const problems = Array.isArray(body.problems) ? body.problems : [];
  const problemTotals = body.problemTotals ?? totalsOf(problems);
  const result = 'months' in body ? ({ ...body, problems, problemTotals } as unknown as StoredResult['result']) : null;
  return { version, result, problems, problemTotals, fields: body };
}

/** The problems of a stored result in the reader's language. */
export function problemsIn(s: StoredResult, lang: Lang): Problem[] {
  return s.problems.map((p) => renderProblem(p, lang));
}

/** A stored result as the JSON contract of docs/rules.md §10, its problems in the reader's language. */
export function resultIn(s: StoredResult, lang: Lang): CheckResult | ProblemsResult {
  const problems = problemsIn(s, lang);
  return s.result
    ? { ...s.result, problems, problemTotals: s.problemTotals }
    : { problems, problemTotals: s.problemTotals };
}

/** The computed result of a stored check (problems rendered in Chinese), or null for a workbook with errors. */
export function computedResult(json: string, lang: Lang = 'zh'): CheckResult | null {
  const s = parseStoredResult(json);
  return s.result ? (resultIn(s, lang) as CheckResult) : null;
}

/**
 * What a stored result says, as a fingerprint: its figures (the unit, months, annual figures, quota, levy,
 * concentrated employment, rewards, subsidies, exclusions) and the employees it counted (their keyed
 * hashes). Two results with the same fingerprint say the same thing — submitting the second would add a
 * version with nothing new. Null for a workbook with errors. Computed when a result is stored, so that
 * comparing two results needs neither of them read and parsed whole.
 */
export function substanceOf(resultJson: string, employeeKeysJson: string): string | null {
  const r = parseStoredResult(resultJson).result;
  if (!r) return null;
  const core = JSON.stringify([
    r.employer,
    r.months,
    r.annual,
    r.quota,
    r.levy,
    r.concentrated,
    r.rewards,
    r.subsidies,
    r.exclusions,
  ]);
  // JSON text holds no raw line break, so the separator cannot occur inside either part
  return createHash('sha256').update(core).update('\n').update(employeeKeysJson).digest('hex');
}
