/** The readable summary `quota check` prints by default (Chinese, or English with --lang en). */
import { CLAUSES, isClauseId } from '../rules/clauses';
import { fill } from '../i18n/fill';
import type { Lang } from '../ingest/messages';
import { EXCLUSION, EXEMPTION, label, maskName, REWARD, STATUS, SUBSIDY } from '../i18n/labels';
import type { CheckResult, Problem } from '../rules/result';

const T = {
  employer: { zh: '单位', en: 'Employer' },
  year: { zh: '年度', en: 'year' },
  verdict: { zh: '结论', en: 'Result' },
  levyDue: { zh: '应缴残疾人就业保障金', en: 'levy payable' },
  collected: { zh: '征收年度', en: 'collected in' },
  noLevy: { zh: '无需缴纳保障金', en: 'no levy payable' },
  monthly: { zh: '月度统计', en: 'Monthly counts' },
  monthHead: { zh: ['月份', '在职职工', '残疾人', '加权人数', '最低工资', '集中就业', '增值税退税限额'], en: ['month', 'staff', 'disabled', 'weighted', 'min wage', 'concentr.', 'VAT ceiling'] },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  annual: { zh: '年度数据', en: 'Annual figures' },
  rewards: { zh: '奖励', en: 'Rewards' },
  subsidies: { zh: '可申请的补贴', en: 'Subsidies you may apply for' },
  exclusions: { zh: '未计入的残疾职工', en: 'Disabled employees not counted' },
  row: { zh: '第{n}行', en: 'row {n}' },
  months: { zh: '月', en: '' },
  whatIf: { zh: '招聘测算（全年在岗）', en: 'What if you hire (on staff all year)' },
  toZero: { zh: '使保障金为零需新增：普通残疾人 {a} 名，或一至二级重度残疾人 {b} 名', en: 'to bring the levy to zero: {a} more disabled hires, or {b} with a grade 1–2 certificate' },
  toConc: { zh: '达到集中就业条件（至少一个月）需新增 {n} 名', en: 'to qualify as concentrated employment in at least one month: {n} more' },
  hireStep: { zh: '新增 {n} 名（权重 {w}）：保障金 {levy}，节省 {saved}，奖励 {reward}', en: '+{n} (weight {w}): levy {levy}, saved {saved}, reward {reward}' },
  explanations: { zh: '计算说明（公式、代入数值、依据条款）', en: 'How each figure was computed (formula, inputs, clauses)' },
  warnings: { zh: '提示', en: 'Notes' },
  problems: { zh: '工作簿存在问题，未进行计算：', en: 'The workbook has problems and was not evaluated:' },
  problemWarnings: { zh: '需要核对的内容：', en: 'Please check:' },
  yuan: { zh: '元', en: '元' },
} as const;

const t = (k: keyof typeof T, lang: Lang, vars: Record<string, string | number> = {}) => fill(String(T[k][lang]), vars);

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function pad(s: string, w: number): string {
  const width = [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  return ' '.repeat(Math.max(0, w - width)) + s;
}

export function formatProblems(problems: Problem[], lang: Lang): string {
  const lines = [t('problems', lang)];
  for (const p of problems) {
    const where = [p.sheet, p.cell].filter(Boolean).join('!');
    lines.push(`  [${p.severity}] ${where ? where + ' ' : ''}${p.message}${p.value ? `（${p.value}）` : ''}`);
  }
  return lines.join('\n');
}

export function formatResult(r: CheckResult, lang: Lang, opts: { unmask?: boolean } = {}): string {
  const out: string[] = [];
  const name = (n: string) => (opts.unmask ? n : maskName(n));
  const colon = lang === 'zh' ? '：' : ': ';
  out.push(`${t('employer', lang)}${colon}${r.employer.name}（${r.employer.uscc}）  ${r.employer.county}  ${r.employer.unitType}  ${r.employer.year} ${t('year', lang)}`);
  const status = label(STATUS, r.quota.status, lang) + (r.concentrated.months.length ? ` · ${label(STATUS, 'concentrated', lang)}` : '');
  const levy = r.levy.payable > 0
    ? `${t('levyDue', lang)} ${money(r.levy.payable)} ${t('yuan', lang)}${lang === 'zh' ? `（${t('collected', lang)} ${r.levy.collectionYear}）` : ` (${t('collected', lang)} ${r.levy.collectionYear})`}`
    : r.levy.exemption ? label(EXEMPTION, r.levy.exemption, lang) : t('noLevy', lang);
  const rewardSum = r.rewards.reduce((a, x) => a + x.amount, 0);
  out.push(`${t('verdict', lang)}${colon}${status} — ${levy}${rewardSum > 0 ? `；${t('rewards', lang)} ${money(rewardSum)} ${t('yuan', lang)}` : ''}`);
  out.push('');
  out.push(`${t('monthly', lang)}:`);
  const head = T.monthHead[lang];
  const widths = [4, 9, 7, 9, 11, 9, 14];
  out.push(head.map((h, i) => pad(h, widths[i])).join(' '));
  for (const m of r.months) {
    out.push([String(m.month), num(m.staff), String(m.disabled), String(m.weighted), money(m.minWage), m.concentrated ? t('yes', lang) : t('no', lang), money(m.vatRefundCeiling)].map((c, i) => pad(c, widths[i])).join(' '));
  }
  out.push('');
  const a = r.annual, q = r.quota;
  out.push(`${t('annual', lang)}: avgStaff ${num(a.avgStaff)} · avgDisabled ${num(a.avgDisabled)} · avgWeighted ${num(a.avgWeighted)} · ratio ${(a.ratio * 100).toFixed(2)} % · required ${num(q.required)} · shortfall ${num(q.shortfall)} · excess ${num(q.excess)}`);
  out.push(`  wageTotal ${money(a.wageTotal)} · avgWage ${money(a.avgWage)} · wageBase ${money(a.wageBase)} · minWageAvg ${money(a.minWageAvg)} · levy.full ${money(r.levy.full)} · rate ${(r.levy.rate * 100).toFixed(0)} %`);
  if (r.rewards.length) {
    out.push('', `${t('rewards', lang)}:`);
    for (const rw of r.rewards) out.push(`  ${label(REWARD, rw.kind, lang)}（${rw.clause}）：${money(rw.amount)} ${t('yuan', lang)}`);
  }
  if (r.subsidies.length) {
    out.push('', `${t('subsidies', lang)}:`);
    for (const s of r.subsidies) {
      const extra = s.range ? ` ${money(s.range[0])}–${money(s.range[1])} ${t('yuan', lang)}` : s.employees ? ` ×${s.employees}` : '';
      out.push(`  ${label(SUBSIDY, s.kind, lang)}（${s.clause}）${extra} — ${s.note}`);
      for (const e of s.list ?? []) out.push(`    ${t('row', lang, { n: e.row })} ${name(e.name)} ${e.hired}${e.monthsLeft !== undefined ? ` · ${e.monthsLeft}` + (lang === 'zh' ? ' 个月' : ' months') : ''}`);
    }
  }
  if (r.exclusions.length) {
    out.push('', `${t('exclusions', lang)}:`);
    for (const e of r.exclusions) out.push(`  ${t('row', lang, { n: e.row })} ${name(e.name)}  ${e.months.join(',')}${t('months', lang)}  ${label(EXCLUSION, e.reason, lang)}`);
  }
  out.push('', `${t('whatIf', lang)}:`);
  const w = r.whatIf;
  out.push('  ' + t('toZero', lang, { a: w.hiresToZeroLevy.weight1 ?? '—', b: w.hiresToZeroLevy.weight2 ?? '—' }));
  if (w.hiresToConcentrated !== null) out.push('  ' + t('toConc', lang, { n: w.hiresToConcentrated }));
  for (const s of w.steps.filter((x) => x.weight === 1)) {
    out.push('  ' + t('hireStep', lang, { n: s.hires, w: s.weight, levy: money(s.levyPayable), saved: money(s.levySaved), reward: money(s.rewardTotal) }));
  }
  out.push('', `${t('explanations', lang)}:`);
  for (const e of r.explanations) {
    const clauses = e.clauses.map((c) => (isClauseId(c) ? `${c} ${CLAUSES[c][lang]}` : c)).join('；');
    out.push(`  ${e.formula}`, `      [${clauses}]${e.interpretations ? ` {${e.interpretations.join(', ')}}` : ''}`);
  }
  const notes = [...r.warnings.map((x) => x.message), ...r.problems.filter((p) => p.severity !== 'error').map((p) => `${p.sheet}!${p.cell} ${p.message}`)];
  if (notes.length) {
    out.push('', `${t('warnings', lang)}:`);
    for (const n of notes) out.push(`  - ${n}`);
  }
  return out.join('\n');
}
