/**
 * The ONE entry point of the rules engine: check(employer, employees, parameters, settings) → docs/rules.md §10.
 * Pure: no I/O. Money leaves here rounded half-up to 0.01 元 (I8) — and only here.
 */
import type { Figures } from './evaluate';
import { evaluate } from './evaluate';
import type { Settings } from './interpretations';
import { resolveSettings } from './interpretations';
import { Q, toYuan } from './money';
import { countMonths, type InsuranceRecords, type WithheldMonths } from './monthly';
import type { CertificateRegister } from './certificate-register';
import { supportedYears } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import { planHires, type WhatIf } from './planner';
import { totalsOf, type CheckResult, type Problem, type ProblemReport, type WhatIfResult } from './result';
import { computeSubsidies } from './subsidies';
import { computeTaxForm } from './tax-form';
import type { Employee, Employer } from './types';

class UnsupportedYearError extends Error {
  constructor(
    readonly year: number,
    readonly first: number,
    readonly last: number,
  ) {
    super(
      `${year}年度的参数尚未配置（支持 ${first}–${last}）/ parameters for ${year} are not configured (supported: ${first}–${last})`,
    );
    this.name = 'UnsupportedYearError';
  }
}

const num = (q: Q) => q.toNumber();
const ratio4 = (q: Q) => Number(q.toFixed(4));

/** Facts of the declaration that are not in the workbook. */
export interface CheckInputs {
  /** 本期已缴费额 (tax form column 11), in 元; 0 unless given. */
  alreadyPaid?: Q;
  /** Months of disabled employees that another unit keeps, by employee key (docs/rules.md §4.2, X1). */
  withheld?: WithheldMonths;
  /** The 残联's certificate register (docs/rules.md §4.3): without it, certificates are not checked against one. */
  register?: CertificateRegister;
  /** The insurer's payment records for this unit (docs/rules.md §4.4): without them, the workbook's months stand. */
  insurance?: InsuranceRecords;
}

export function check(
  employer: Employer,
  employees: readonly Employee[],
  params: Parameters,
  overrides: Partial<Settings> = {},
  found: Problem[] | ProblemReport = [],
  inputs: CheckInputs = {},
): CheckResult {
  const { problems, problemTotals } = Array.isArray(found)
    ? { problems: found, problemTotals: totalsOf(found) }
    : found;
  const settings = resolveSettings(overrides);
  const years = supportedYears(params);
  if (employer.year < years.first || employer.year > years.last)
    throw new UnsupportedYearError(employer.year, years.first, years.last);

  const counting = countMonths(
    employer,
    employees,
    params,
    settings,
    inputs.withheld,
    inputs.register,
    inputs.insurance,
  );
  const f = evaluate(employer, counting.months, params, settings);
  const whatIf = planHires(employer, counting.months, f, params, settings);
  const subsidies = computeSubsidies(employer, employees, counting, params);

  const withheld = counting.exclusions.filter((e) => e.reason === 'counted-by-another-unit');
  if (withheld.length) {
    // the months another unit keeps (X1): named where the counts they leave out are explained
    const personMonths = withheld.reduce((a, e) => a + e.months.length, 0);
    f.explainer.state(
      'exclusions.counted-by-another-unit',
      `${withheld.length} persons, ${personMonths} person-months kept by another unit`,
      ['L72', 'CDPF63'],
      { interpretations: ['I12'], words: { case: 'withheld', values: { persons: withheld.length, personMonths } } },
    );
  }
  const findings = counting.certificates ?? [];
  if (inputs.register) {
    const refused = counting.exclusions.filter((e) => e.reason.startsWith('certificate-'));
    f.explainer.state(
      'certificateRegister.checked',
      `${findings.filter((x) => x.finding === 'valid').length} valid, ${refused.length} refused by the register`,
      ['L72', 'CDPF63'],
      {
        interpretations: ['I13'],
        words: {
          case: 'checked',
          values: {
            valid: findings.filter((x) => x.finding === 'valid').length,
            refused: new Set(refused.map((x) => x.row)).size,
            regraded: findings.filter((x) => x.finding === 'grade-differs').length,
            missing: findings.filter((x) => x.finding === 'not-in-register').length,
          },
        },
      },
    );
  }
  const warnings = [...f.warnings];
  const provisional = warnings.some((w) => w.code === 'wage-cap-not-checked');
  const tf = computeTaxForm(f, params, f.levy.collectionDate, inputs.alreadyPaid ?? Q.ZERO, provisional, f.explainer);
  if (counting.shortContractRows.length) {
    warnings.push({
      code: 'short-contract-not-staff',
      message: `第 ${counting.shortContractRows.join('、')} 行职工劳动合同不满1年且非季节性用工，不计入在职职工（L72 第八条）/ rows ${counting.shortContractRows.join(', ')}: contract under one year, not counted as staff`,
      params: { rows: counting.shortContractRows.join(',') },
    });
  }

  return {
    employer: {
      name: employer.name,
      uscc: employer.uscc,
      county: employer.county,
      unitType: employer.unitType,
      year: employer.year,
    },
    months: counting.months.map((m, i) => ({
      month: m.month,
      staff: num(m.staff),
      disabled: m.disabled,
      weighted: m.weighted,
      minWage: toYuan(m.minWage),
      concentrated: f.concentrated.perMonth[i].qualifies,
      vatRefundCeiling: toYuan(f.concentrated.perMonth[i].vatRefundCeiling),
    })),
    annual: {
      avgStaff: num(f.annual.avgStaff),
      avgDisabled: num(f.annual.avgDisabled),
      avgWeighted: num(f.annual.avgWeighted),
      ratio: ratio4(f.annual.ratio),
      wageTotal: toYuan(f.annual.wageTotal),
      avgWage: toYuan(f.annual.avgWage),
      wageBase: toYuan(f.levy.wageBase),
      minWageAvg: toYuan(f.annual.minWageAvg),
    },
    quota: {
      ratio: num(f.quota.ratio),
      required: num(f.quota.required),
      shortfall: num(f.quota.shortfall),
      excess: num(f.quota.excess),
      status: f.status,
    },
    levy: {
      full: toYuan(f.levy.full),
      rate: num(f.levy.rate),
      payable: toYuan(f.levy.payable),
      collectionYear: f.levy.collectionYear,
      collectionDate: f.levy.collectionDate,
      exemption: f.levy.exemption,
    },
    concentrated: {
      months: f.concentrated.months,
      vatRefundCeiling: toYuan(f.concentrated.vatRefundCeiling),
      landUseTaxRelief: f.concentrated.landUseTaxRelief,
    },
    rewards: f.rewards.map((r) => ({
      kind: r.kind,
      clause: r.clause,
      persons: num(r.persons),
      monthsOfMinWage: r.monthsOfMinWage,
      ...(r.families !== undefined ? { families: r.families } : {}),
      amount: toYuan(r.amount),
    })),
    subsidies,
    exclusions: counting.exclusions.map((e) => ({ row: e.row, name: e.name, months: e.months, reason: e.reason })),
    counted: counting.counted.map((c) => ({ row: c.row, name: c.name, weight: c.weight, months: [...c.months] })),
    certificateRegister: { checked: !!inputs.register, findings },
    insuranceRecords: { checked: !!inputs.insurance },
    problems,
    problemTotals,
    warnings,
    explanations: f.explainer.items,
    whatIf: whatIfJson(whatIf),
    settings: { ...settings },
    taxForm: {
      col4: toYuan(tf.col4),
      col5: num(tf.col5),
      col6: num(tf.col6),
      col7: num(tf.col7),
      col8: toYuan(tf.col8),
      col9: toYuan(tf.col9),
      col10: toYuan(tf.col10),
      reductionCode: tf.reductionCode,
      reduction: tf.reduction,
      col11: toYuan(tf.col11),
      col12: toYuan(tf.col12),
      provisional: tf.provisional,
    },
  };
}

function whatIfJson(w: WhatIf): WhatIfResult {
  return {
    assumptions: w.assumptions,
    hiresToZeroLevy: w.hiresToZeroLevy,
    hiresToConcentrated: w.hiresToConcentrated,
    steps: w.steps.map((s) => ({
      hires: s.hires,
      weight: s.weight,
      levyPayable: toYuan(s.levyPayable),
      levySaved: toYuan(s.levySaved),
      rewardTotal: toYuan(s.rewardTotal),
      rewardGained: toYuan(s.rewardGained),
      concentratedMonths: s.concentratedMonths,
      status: s.status,
    })),
  };
}

export type { Figures, WithheldMonths };
