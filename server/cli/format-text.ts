/** The readable summary `quota check` prints by default (Chinese, or English with --lang en). */
import { clauseCitation, explanationLine, figureName, interpretationSentence, warningWords } from '../i18n/explain';
import { amount, count, percent, yuan } from '../i18n/format';
import { kindTotals, problemText, problemWhere } from '../i18n/problems';
import { hasMessage, t as tr } from '../i18n/t';
import type { Lang } from '../ingest/messages';
import { EXCLUSION, EXEMPTION, label, maskDigits, maskName, REWARD, SEVERITY, STATUS, SUBSIDY } from '../i18n/labels';
import type { CheckResult, Problem, ProblemTotals } from '../rules/result';

/** CLI text: catalogue keys under `cli.`. */
const c = (k: string, lang: Lang, vars: Record<string, string | number> = {}) => tr(`cli.${k}`, lang, vars);

const money = amount;
const num = count;

function pad(s: string, w: number): string {
  const width = [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  return ' '.repeat(Math.max(0, w - width)) + s;
}

export function formatProblems(problems: Problem[], lang: Lang, totals?: ProblemTotals): string {
  const lines = [c('problems', lang)];
  for (const p of problems) {
    lines.push(
      `  [${label(SEVERITY, p.severity, lang)}] ${problemWhere(p, lang)}：${problemText(p)}${p.value ? `（${maskDigits(p.value)}）` : ''}`,
    );
  }
  if (totals && totals.count > problems.length) {
    lines.push(c('notListed', lang, { n: totals.count - problems.length, count: totals.count }));
    for (const k of kindTotals(totals, lang)) lines.push(`  ${k.label}  ${k.n}`);
  }
  return lines.join('\n');
}

export function formatResult(r: CheckResult, lang: Lang, opts: { unmask?: boolean } = {}): string {
  const out: string[] = [];
  const name = (n: string) => (opts.unmask ? n : maskName(n));
  const colon = lang === 'zh' ? '：' : ': ';
  const place = (x: string) => (hasMessage(`place.${x}`) ? tr(`place.${x}`, lang) : x);
  const provisional = r.levy.payable > 0 ? r.warnings.find((w) => w.code === 'wage-cap-not-checked') : undefined;
  out.push(
    `${c('employer', lang)}${colon}${r.employer.name}（${r.employer.uscc}）  ${place(r.employer.county)}  ${place(r.employer.unitType)}  ${tr('result.dataYear', lang, { y: r.employer.year })}`,
  );
  const status =
    label(STATUS, r.quota.status, lang) +
    (r.concentrated.months.length ? ` · ${label(STATUS, 'concentrated', lang)}` : '');
  const levy =
    r.levy.payable > 0
      ? `${c('levyDue', lang)} ${provisional ? `${tr('result.provisional', lang)} ` : ''}${money(r.levy.payable)} ${c('yuan', lang)}${lang === 'zh' ? `（${c('collected', lang)} ${r.levy.collectionYear}）` : ` (${c('collected', lang)} ${r.levy.collectionYear})`}`
      : r.levy.exemption
        ? label(EXEMPTION, r.levy.exemption, lang)
        : c('noLevy', lang);
  const rewardSum = r.rewards.reduce((a, x) => a + x.amount, 0);
  out.push(
    `${c('verdict', lang)}${colon}${status} — ${levy}${rewardSum > 0 ? `；${c('rewards', lang)} ${money(rewardSum)} ${c('yuan', lang)}` : ''}`,
  );
  if (provisional) out.push(`  ${warningWords(provisional, lang)}`);
  out.push('');
  out.push(`${c('monthly', lang)}:`);
  const head = [0, 1, 2, 3, 4, 5, 6].map((i) => c(`monthHead${i}`, lang));
  const widths = [4, 9, 7, 9, 11, 9, 14];
  out.push(head.map((h, i) => pad(h, widths[i])).join(' '));
  for (const m of r.months) {
    out.push(
      [
        String(m.month),
        num(m.staff),
        String(m.disabled),
        String(m.weighted),
        money(m.minWage),
        m.concentrated ? c('yes', lang) : c('no', lang),
        money(m.vatRefundCeiling),
      ]
        .map((c, i) => pad(c, widths[i]))
        .join(' '),
    );
  }
  out.push('');
  const a = r.annual,
    q = r.quota;
  const persons = (n: number) => tr('unit.persons', lang, { n: count(n) });
  const keyFigures: [string, string][] = [
    ['annual.avgStaff', persons(a.avgStaff)],
    ['annual.avgDisabled', persons(a.avgDisabled)],
    ['annual.avgWeighted', persons(a.avgWeighted)],
    ['annual.ratio', percent(a.ratio)],
    ['quota.required', persons(q.required)],
    ['quota.shortfall', persons(q.shortfall)],
    ['quota.excess', persons(q.excess)],
    ['annual.wageTotal', yuan(a.wageTotal, lang)],
    ['annual.avgWage', yuan(a.avgWage, lang)],
    ['annual.wageBase', yuan(a.wageBase, lang)],
    ['annual.minWageAvg', yuan(a.minWageAvg, lang)],
    ['levy.full', yuan(r.levy.full, lang)],
    ['levy.rate', percent(r.levy.rate)],
  ];
  out.push(`${c('annual', lang)}:`);
  for (const [f, v] of keyFigures) out.push(`  ${figureName(f, lang)}${colon}${v}`);
  if (r.rewards.length) {
    out.push('', `${c('rewards', lang)}:`);
    for (const rw of r.rewards)
      out.push(
        `  ${label(REWARD, rw.kind, lang)}${colon}${yuan(rw.amount, lang)}（${clauseCitation(rw.clause, lang)}）`,
      );
  }
  if (r.subsidies.length) {
    out.push('', `${c('subsidies', lang)}:`);
    for (const s of r.subsidies) {
      const extra = s.range
        ? ` ${money(s.range[0])}–${money(s.range[1])} ${c('yuan', lang)}`
        : s.employees
          ? ` ×${s.employees}`
          : '';
      const note = hasMessage(`subsidyNote.${s.kind}`) ? tr(`subsidyNote.${s.kind}`, lang, s.noteParams ?? {}) : s.note;
      out.push(`  ${label(SUBSIDY, s.kind, lang)}${extra} — ${note}（${clauseCitation(s.clause, lang)}）`);
      for (const e of s.list ?? [])
        out.push(
          `    ${c('row', lang, { n: e.row })} ${name(e.name)} ${e.hired}${e.monthsLeft !== undefined ? ` · ${tr('result.monthsLeft', lang, { n: e.monthsLeft })}` : ''}`,
        );
    }
  }
  if (r.exclusions.length) {
    out.push('', `${c('exclusions', lang)}:`);
    for (const e of r.exclusions)
      out.push(
        `  ${c('row', lang, { n: e.row })} ${name(e.name)}  ${c('months', lang, { m: e.months.join(',') })}  ${label(EXCLUSION, e.reason, lang)}`,
      );
  }
  out.push('', `${c('whatIf', lang)}:`);
  const w = r.whatIf;
  out.push(
    '  ' +
      c('toZero', lang, {
        a: w.hiresToZeroLevy.weight1 ?? '—',
        b: w.hiresToZeroLevy.weight2 ?? '—',
        weight: Math.max(1, ...w.steps.map((s) => s.weight)),
      }),
  );
  if (w.hiresToConcentrated !== null) out.push('  ' + c('toConc', lang, { n: w.hiresToConcentrated }));
  for (const s of w.steps.filter((x) => x.weight === 1)) {
    out.push(
      '  ' +
        c('hireStep', lang, {
          n: s.hires,
          w: s.weight,
          levy: money(s.levyPayable),
          saved: money(s.levySaved),
          reward: money(s.rewardTotal),
        }),
    );
  }
  out.push('', `${c('explanations', lang)}:`);
  for (const e of r.explanations) {
    out.push(`  ${explanationLine(e, lang)}`);
    out.push(
      `      ${c('basis', lang)}${colon}${e.clauses.map((id) => clauseCitation(id, lang)).join(lang === 'en' ? '; ' : '；')}`,
    );
    for (const i of e.interpretations ?? []) out.push(`      ${interpretationSentence(i, lang)}`);
  }
  const notes = [
    ...r.warnings.filter((w) => w !== provisional).map((w) => warningWords(w, lang)),
    ...r.problems.filter((p) => p.severity !== 'error').map((p) => `${problemWhere(p, lang)}${colon}${problemText(p)}`),
  ];
  if (notes.length) {
    out.push('', `${c('warnings', lang)}:`);
    for (const n of notes) out.push(`  - ${n}`);
    const totals = r.problemTotals;
    if (totals && totals.count > r.problems.length)
      out.push(
        `  ${c('notListed', lang, { n: totals.count - r.problems.length, count: totals.count })} ${kindTotals(
          totals,
          lang,
        )
          .map((k) => `${k.label} ${k.n}`)
          .join(lang === 'en' ? ', ' : '，')}`,
      );
  }
  return out.join('\n');
}
