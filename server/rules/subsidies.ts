/**
 * docs/rules.md §6.3 (one-off awards) and §6.4 — subsidies reported as "may apply", with an estimate where the
 * data allows.
 *   social-insurance (J3.3): "企业新招用的残疾人，且与企业签订1年以上劳动合同并依法缴纳社会保险费的…给予社保补贴，
 *     期限不超过3年，其中对初次核定享受补贴政策时距法定退休年龄不足5年的，延长至退休。"
 *     Assumption (stated in the result): first approval in the month of hire.
 *   training (J3.4): "企业新招用残疾人，6个月内开展岗前技能培训并获得初级工及以上职业资格证书的，按人数给予企业
 *     每人500元的培训补贴，其中小微企业培训补贴标准为每人600元。" The certificate is not in the workbook:
 *     the new disabled hires of Y are listed with the per-person amounts.
 *   blind-massage social insurance (J3.1): eligibility only (amount set locally).
 *   one-off awards (J3.1 6–12万, J3.5 5–8万): ranges, not computed.
 */
import { monthIndex, monthIndexOf } from './calendar';
import type { ClauseId } from './clauses';
import type { Counting } from './monthly';
import { oneOffAwards, retirementRule, subsidyTerms } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import { contractAtLeastOneYear } from './people/contract';
import { retirementAge } from './people/retirement-age';
import type { Employee, Employer } from './types';

export interface SubsidyEmployee {
  row: number;
  name: string;
  hired: string;
  monthsLeft?: number;
  untilRetirement?: boolean;
}

export interface Subsidy {
  kind:
    | 'social-insurance'
    | 'training'
    | 'blind-massage-social-insurance'
    | 'auxiliary-employment-creation'
    | 'poverty-relief-base-creation';
  clause: ClauseId;
  employees?: number;
  list?: SubsidyEmployee[];
  perPerson?: number;
  perPersonSmallMicro?: number;
  range?: [number, number];
  note: string;
  /** The values the note's words fill in (catalogue `subsidyNote.<kind>`). */
  noteParams?: Record<string, number>;
}

export function computeSubsidies(
  employer: Employer,
  employees: readonly Employee[],
  counting: Counting,
  params: Parameters,
): Subsidy[] {
  const y = employer.year;
  const yearEnd = `${y}-12-31`;
  const terms = subsidyTerms(params, yearEnd).value;
  const age = retirementRule(params, yearEnd).value;
  const decIdx = monthIndex(y, 12);
  const out: Subsidy[] = [];

  const counted = employees.filter((e) => (counting.countedMonths.get(e.row)?.length ?? 0) > 0);
  const social: SubsidyEmployee[] = [];
  for (const e of counted) {
    if (!contractAtLeastOneYear(e.contractStart, e.contractEnd)) continue;
    const hireIdx = monthIndexOf(e.hired);
    const elapsed = decIdx - hireIdx + 1;
    const retire = retirementAge(age, e.birthDate, e.sex, e.femalePost);
    const untilRetirement = retire.lastMonth - hireIdx < terms.nearRetirementYears * 12;
    const monthsLeft = untilRetirement ? retire.lastMonth - decIdx : terms.socialInsuranceYears * 12 - elapsed;
    if (elapsed <= 0 || monthsLeft <= 0) continue;
    social.push({ row: e.row, name: e.name, hired: e.hired, monthsLeft, untilRetirement });
  }
  if (social.length) {
    out.push({
      kind: 'social-insurance',
      clause: 'J3.3',
      employees: social.length,
      list: social,
      note: `按企业实际缴纳社保费补贴，期限${terms.socialInsuranceYears}年（距退休不足${terms.nearRetirementYears}年者至退休）；剩余月数按入职当月首次核定估算 / months left assume first approval in the month of hire`,
      noteParams: { years: terms.socialInsuranceYears, nearRetirementYears: terms.nearRetirementYears },
    });
  }

  const newHires = counted.filter((e) => e.hired.startsWith(`${y}-`));
  if (newHires.length) {
    out.push({
      kind: 'training',
      clause: 'J3.4',
      employees: newHires.length,
      list: newHires.map((e) => ({ row: e.row, name: e.name, hired: e.hired })),
      perPerson: terms.trainingPerPerson,
      perPersonSmallMicro: terms.trainingSmallMicro,
      note: `入职${terms.trainingWithinMonths}个月内岗前培训并取得初级工及以上证书的，每人${terms.trainingPerPerson}元（小微企业${terms.trainingSmallMicro}元）/ if certified 初级工 or above within ${terms.trainingWithinMonths} months`,
      noteParams: {
        withinMonths: terms.trainingWithinMonths,
        perPerson: terms.trainingPerPerson,
        smallMicro: terms.trainingSmallMicro,
      },
    });
  }

  if (employer.blindMassage && counted.length) {
    out.push({
      kind: 'blind-massage-social-insurance',
      clause: 'J3.1',
      employees: counted.length,
      note: '按安置残疾人数给予社保缴费补贴，标准由各地确定 / amount set locally by head count',
    });
  }
  const awards = oneOffAwards(params, yearEnd).value;
  if (employer.auxiliaryEmployment) {
    out.push({
      kind: 'auxiliary-employment-creation',
      clause: 'J3.1',
      range: awards.auxiliaryCreation,
      note: '成功创建嘉兴市残疾人辅助性就业机构的一次性奖励 / one-off award on recognition',
    });
  }
  if (employer.povertyReliefBase) {
    out.push({
      kind: 'poverty-relief-base-creation',
      clause: 'J3.5',
      range: awards.povertyReliefBaseCreation,
      note: '成功创建嘉兴市残疾人扶贫基地的一次性奖励 / one-off award on recognition',
    });
  }
  return out;
}
