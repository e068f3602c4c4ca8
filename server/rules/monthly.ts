/**
 * docs/rules.md §4 — monthly counting, the core. For each month m of Y, on its reference day (I1):
 *
 * staff(m) — L72 art. 8: "用人单位在编人员或依法与用人单位签订1年以上（含1年）劳动合同（服务协议）的人员。
 *   季节性用工应当折算为年平均用工人数。以劳务派遣用工的，计入派遣单位在职职工人数。"
 * disabled(m) / weighted(m) — counted disabled employees (L72, L52); the first failing condition,
 *   in the order of docs/rules.md §4 step 2, is the exclusion reported for that employee and month.
 *
 * Interpretations: I1 (reference day), I6 (part-time and seasonal count `partTimeWeight`).
 */
import { lastDayOfMonth, isoDate, MONTHS, type ISODate } from './calendar';
import type { Settings } from './interpretations';
import { Q } from './money';
import { disabilityWeight, minWage, retirementRule } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import { holdsValidCertificate, weightOf } from './people/certificate';
import { contractAtLeastOneYear, contractCovers, employedOn } from './people/contract';
import { isWorkingAge } from './people/retirement-age';
import type { Employee, Employer, ExclusionReason, MonthFacts } from './types';
import {
  findCertificate,
  registerRefuses,
  type CertificateFinding,
  type CertificateRegister,
} from './certificate-register';

export interface Exclusion {
  row: number;
  name: string;
  reason: ExclusionReason;
  months: number[];
}

export interface Counting {
  months: MonthFacts[];
  exclusions: Exclusion[];
  /** Employee row → months in which they were a counted disabled employee. */
  countedMonths: Map<number, number[]>;
  /** Counted disabled employees: row, name, weight (L72) and the months counted — what a verification certificate lists. */
  counted: { row: number; name: string; weight: number; months: number[] }[];
  /** Rows of non-seasonal employees not counted as staff because their contract is under one year. */
  shortContractRows: number[];
  /** What the register says about each disabled employee's certificate (§4.3); empty without a register. */
  certificates?: CertificateCheck[];
}

export interface CertificateCheck {
  row: number;
  name: string;
  finding: CertificateFinding;
  from?: string;
  workbookGrade?: number;
  registerGrade?: number;
}

export function referenceDay(year: number, month: number, settings: Settings): ISODate {
  return settings.referenceDay === 'month-end' ? lastDayOfMonth(year, month) : isoDate(year, month, 1);
}

/**
 * Months of a disabled employee that another unit keeps (docs/rules.md §4.2, X1: L72 art. 8 counts a person at
 * one unit; 残联厅函〔2022〕63号 counts by month): not counted here, with the exclusion `counted-by-another-unit`.
 * The engine knows the person by the caller's key (a keyed hash of the ID number), never by the number itself.
 */
export interface WithheldMonths {
  keyOf: (e: Employee) => string;
  /** key → the months (1–12) another unit keeps */
  months: ReadonlyMap<string, readonly number[]>;
}

/**
 * The insurer's payment records for this unit (docs/rules.md §4.4): by employee key, the months of the data year
 * paid. A month the workbook gives as insured that they do not show is not counted.
 */
export interface InsuranceRecords {
  keyOf: (e: Employee) => string;
  /** key → bit m − 1 set: month m paid by this unit */
  paid: ReadonlyMap<string, number>;
}

export function countMonths(
  employer: Employer,
  employees: readonly Employee[],
  params: Parameters,
  settings: Settings,
  withheld?: WithheldMonths,
  register?: CertificateRegister,
  insurance?: InsuranceRecords,
): Counting {
  const y = employer.year;
  const partTime = Q.of(settings.partTimeWeight);
  // what each month's rules are, looked up once per month (not once per employee and month)
  const rules = MONTHS.map((m) => {
    const day = referenceDay(y, m, settings);
    const wage = minWage(params, employer.county, day);
    return {
      m,
      day,
      wage,
      minWageFen: Number(wage.value.mul(100).ceil().n),
      weightRule: disabilityWeight(params, day).value,
      ageRule: retirementRule(params, day).value,
    };
  });
  const fullStaff = new Array<number>(12).fill(0),
    partStaff = new Array<number>(12).fill(0),
    disabled = new Array<number>(12).fill(0),
    weighted = new Array<number>(12).fill(0),
    staffWagesFen = new Array<number>(12).fill(0);
  const exclusionMonths = new Map<string, Exclusion>();
  const countedMonths = new Map<number, number[]>();
  const countedPeople = new Map<number, { row: number; name: string; weight: number; months: number[] }>();
  const shortContract = new Set<number>();
  const certificates: CertificateCheck[] = [];

  // employee by employee, each month of the year in order: every month's figures add up employees in
  // roster order, and each employee's months come in calendar order, as month by month would give
  for (let i = 0; i < employees.length; i++) {
    const e = employees[i];
    // the reference days ascend, so the months employed on theirs are one run [first, last] (0-based)
    let first = 0;
    while (first < 12 && !employedOn(e.hired, e.left, rules[first].day)) first++;
    if (first === 12) continue;
    let last = 11;
    while (!employedOn(e.hired, e.left, rules[last].day)) last--;

    // what does not change from month to month is worked out once per employee
    const seasonal = e.form === '季节性';
    const dispatchedElsewhere = e.form === '劳务派遣' && !e.dispatchCountedHere;
    const oneYear = contractAtLeastOneYear(e.contractStart, e.contractEnd);
    if (!dispatchedElsewhere && (oneYear || seasonal)) {
      const counts = e.form === '非全日制' || seasonal ? partStaff : fullStaff;
      for (let k = first; k <= last; k++) {
        counts[k]++;
        staffWagesFen[k] += e.wagesFen[k];
      }
    } else if (!dispatchedElsewhere) {
      shortContract.add(e.row);
    }
    if (e.cert === null && e.veteranGrade === null) continue;
    const paidMask = insurance ? (insurance.paid.get(insurance.keyOf(e)) ?? 0) : 0xfff;
    const elsewhere = withheld?.months.size ? withheld.months.get(withheld.keyOf(e)) : undefined;
    // the register's certificate (§4.3): its dates decide the months, its grade the weight
    let entry = null as ReturnType<typeof findCertificate>['entry'];
    let who: Employee = e;
    if (register && e.cert) {
      const found = findCertificate(e, register, `${y}-12-31`);
      entry = found.entry;
      for (const f of found.findings)
        certificates.push({
          row: e.row,
          name: e.name,
          finding: f.finding,
          ...(f.from ? { from: f.from } : {}),
          ...(f.finding === 'grade-differs' ? { workbookGrade: e.cert.grade, registerGrade: entry!.grade } : {}),
        });
      if (entry) who = { ...e, cert: { category: entry.category, grade: entry.grade } };
    }

    for (let k = first; k <= last; k++) {
      const { m, day, minWageFen, weightRule, ageRule } = rules[k];
      if (!holdsValidCertificate(e, weightRule)) continue;

      let reason: ExclusionReason | null = null;
      // a month another unit keeps is that unit's (X1), whatever this unit's own facts say
      const refused = register && e.cert ? registerRefuses(entry, register, day) : null;
      if (elsewhere?.includes(m)) reason = 'counted-by-another-unit';
      else if (refused) reason = refused;
      else if (dispatchedElsewhere) reason = 'dispatched-elsewhere';
      else if (!isWorkingAge(ageRule, e.birthDate, e.sex, e.femalePost, y, m)) reason = 'not-working-age';
      else if (!oneYear) reason = 'contract-under-one-year';
      else if (!contractCovers(e.contractStart, e.contractEnd, day)) reason = 'contract-not-covering';
      else if (e.insuredMonths !== null && !e.insuredMonths.includes(m)) reason = 'social-insurance-missing';
      else if (!(paidMask & (1 << (m - 1)))) reason = 'insurance-not-in-records';
      else if (e.wagesFen[m - 1] < minWageFen) reason = 'wage-below-minimum';

      if (reason === null) {
        disabled[k]++;
        weighted[k] += weightOf(who, weightRule);
        const list = countedMonths.get(e.row) ?? [];
        list.push(m);
        countedMonths.set(e.row, list);
        if (!countedPeople.has(e.row))
          countedPeople.set(e.row, { row: e.row, name: e.name, weight: weightOf(who, weightRule), months: list });
      } else {
        const key = `${e.row}|${reason}`;
        const ex = exclusionMonths.get(key) ?? { row: e.row, name: e.name, reason, months: [] };
        ex.months.push(m);
        exclusionMonths.set(key, ex);
      }
    }
  }

  const months: MonthFacts[] = rules.map(({ m, day, wage }, k) => ({
    month: m,
    referenceDay: day,
    staff: Q.of(fullStaff[k]).add(partTime.mul(partStaff[k])),
    disabled: disabled[k],
    weighted: weighted[k],
    staffWagesFen: staffWagesFen[k],
    minWage: wage.value,
    minWageSource: wage.source,
  }));

  const exclusions = [...exclusionMonths.values()].sort((a, b) => a.row - b.row);
  const counted = [...countedPeople.values()].sort((a, b) => a.row - b.row);
  return {
    months,
    exclusions,
    countedMonths,
    counted,
    shortContractRows: [...shortContract].sort((a, b) => a - b),
    certificates,
  };
}
