/**
 * docs/rules.md §4 — monthly counting against its definition read literally: month by month, every
 * employee tested on that month's reference day. `countMonths` walks each employee once over the run of
 * months employed; on generated rosters with every kind of case (hires and leavers around the year, the
 * four employment forms, dispatched workers counted here or not, contracts under a year, ending mid-year
 * or starting on 29 February, certificates of every grade, veterans in and out of the grade range, ages
 * near retirement, insured-month gaps, wages under the minimum in some months) both give the same
 * months, exclusions, counted employees and short-contract rows, for every supported year, both
 * reference days and part-time weights.
 */
import { shippedParameters } from '../../server/params/load-parameters';
import { lastDayOfMonth, isoDate, MONTHS } from '../../server/rules/calendar';
import { resolveSettings, type Settings } from '../../server/rules/interpretations';
import { Q } from '../../server/rules/money';
import { countMonths, referenceDay, type Counting, type Exclusion } from '../../server/rules/monthly';
import { disabilityWeight, minWage, retirementRule, supportedYears } from '../../server/rules/parameters/lookup';
import type { Parameters } from '../../server/rules/parameters/table';
import { holdsValidCertificate, weightOf } from '../../server/rules/people/certificate';
import { contractAtLeastOneYear, contractCovers, employedOn } from '../../server/rules/people/contract';
import { isWorkingAge } from '../../server/rules/people/retirement-age';
import {
  employerWith,
  COUNTIES,
  EMPLOYMENT_FORMS,
  type Employee,
  type Employer,
  type ExclusionReason,
  type MonthFacts,
} from '../../server/rules/types';

const params = shippedParameters();

/** The definition, month by month (what countMonths computed before it walked employees once). */
function byMonth(employer: Employer, employees: readonly Employee[], p: Parameters, settings: Settings): Counting {
  const y = employer.year;
  const partTime = Q.of(settings.partTimeWeight);
  const exclusionMonths = new Map<string, Exclusion>();
  const countedMonths = new Map<number, number[]>();
  const countedPeople = new Map<number, { row: number; name: string; weight: number; months: number[] }>();
  const shortContract = new Set<number>();
  const months: MonthFacts[] = [];
  for (const m of MONTHS) {
    const day = referenceDay(y, m, settings);
    const wage = minWage(p, employer.county, day);
    const minWageFen = Number(wage.value.mul(100).ceil().n);
    const weightRule = disabilityWeight(p, day).value;
    const ageRule = retirementRule(p, day).value;
    let fullStaff = 0,
      partStaff = 0,
      disabled = 0,
      weighted = 0,
      staffWagesFen = 0;
    for (const e of employees) {
      if (!employedOn(e.hired, e.left, day)) continue;
      const seasonal = e.form === '季节性';
      const dispatchedElsewhere = e.form === '劳务派遣' && !e.dispatchCountedHere;
      const oneYear = contractAtLeastOneYear(e.contractStart, e.contractEnd);
      if (!dispatchedElsewhere && (oneYear || seasonal)) {
        if (e.form === '非全日制' || seasonal) partStaff++;
        else fullStaff++;
        staffWagesFen += e.wagesFen[m - 1];
      } else if (!dispatchedElsewhere) shortContract.add(e.row);
      if (e.cert === null && e.veteranGrade === null) continue;
      if (!holdsValidCertificate(e, weightRule)) continue;
      let reason: ExclusionReason | null = null;
      if (dispatchedElsewhere) reason = 'dispatched-elsewhere';
      else if (!isWorkingAge(ageRule, e.birthDate, e.sex, e.femalePost, y, m)) reason = 'not-working-age';
      else if (!oneYear) reason = 'contract-under-one-year';
      else if (!contractCovers(e.contractStart, e.contractEnd, day)) reason = 'contract-not-covering';
      else if (e.insuredMonths !== null && !e.insuredMonths.includes(m)) reason = 'social-insurance-missing';
      else if (e.wagesFen[m - 1] < minWageFen) reason = 'wage-below-minimum';
      if (reason === null) {
        disabled++;
        weighted += weightOf(e, weightRule);
        const list = countedMonths.get(e.row) ?? [];
        list.push(m);
        countedMonths.set(e.row, list);
        if (!countedPeople.has(e.row))
          countedPeople.set(e.row, { row: e.row, name: e.name, weight: weightOf(e, weightRule), months: list });
      } else {
        const key = `${e.row}|${reason}`;
        const ex = exclusionMonths.get(key) ?? { row: e.row, name: e.name, reason, months: [] };
        ex.months.push(m);
        exclusionMonths.set(key, ex);
      }
    }
    months.push({
      month: m,
      referenceDay: day,
      staff: Q.of(fullStaff).add(partTime.mul(partStaff)),
      disabled,
      weighted,
      staffWagesFen,
      minWage: wage.value,
      minWageSource: wage.source,
    });
  }
  return {
    months,
    exclusions: [...exclusionMonths.values()].sort((a, b) => a.row - b.row),
    countedMonths,
    counted: [...countedPeople.values()].sort((a, b) => a.row - b.row),
    shortContractRows: [...shortContract].sort((a, b) => a - b),
  };
}

/** A small deterministic generator (the same roster every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function roster(year: number, n: number, seed: number): Employee[] {
  const r = lcg(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const day = (y: number) => {
    const m = 1 + Math.floor(r() * 12);
    return r() < 0.3 ? lastDayOfMonth(y, m) : isoDate(y, m, 1 + Math.floor(r() * 28));
  };
  return Array.from({ length: n }, (_, i): Employee => {
    const hired =
      r() < 0.15
        ? pick([`${year}-01-01`, `${year}-12-31`, `${year + 1}-02-01`, '2024-02-29'])
        : day(year - Math.floor(r() * 12) + (r() < 0.2 ? 1 : 0));
    const left = r() < 0.25 ? (r() < 0.2 ? `${year - 1}-12-31` : day(year)) : null;
    const contractStart = r() < 0.1 ? '2024-02-29' : r() < 0.5 ? hired : day(year - Math.floor(r() * 3));
    const contractEnd =
      r() < 0.5
        ? null
        : r() < 0.3
          ? isoDate(+contractStart.slice(0, 4) + 1, +contractStart.slice(5, 7), 1)
          : day(year + Math.floor(r() * 3) - 1);
    const disabled = r() < 0.2;
    const veteran = !disabled && r() < 0.1;
    const sex = r() < 0.5 ? 'M' : 'F';
    const birthYear = year - 17 - Math.floor(r() * 50);
    const base = 150_000 + Math.floor(r() * 600_000);
    return {
      row: i + 2,
      name: `职工${i}`,
      idNumber: `330481${birthYear}0101${String(i).padStart(4, '0')}`,
      birthDate: isoDate(birthYear, 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28)),
      sex,
      cert: disabled ? { category: 1 + Math.floor(r() * 7), grade: 1 + Math.floor(r() * 4) } : null,
      veteranGrade: veteran ? 1 + Math.floor(r() * 10) : null,
      hired,
      left,
      contractStart,
      contractEnd,
      form: pick(EMPLOYMENT_FORMS),
      dispatchCountedHere: r() < 0.5,
      insuredMonths: r() < 0.7 ? null : MONTHS.filter(() => r() < 0.8),
      wagesFen: r() < 0.7 ? new Array(12).fill(base) : MONTHS.map(() => base - Math.floor(r() * 100_000)),
      femalePost: r() < 0.5 ? '工人' : '干部',
    };
  });
}

const employer = (year: number, county: Employer['county']): Employer =>
  employerWith({
    name: '逐月核对',
    uscc: '91330481MA2B3C4D01',
    county,
    unitType: '企业',
    founded: '2000-01-01',
    year,
  });

const { first, last } = supportedYears(params);
const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);

test.each(years)('%i: counting employee by employee equals counting month by month', (year) => {
  const employees = roster(year, 1500, year);
  let excluded = 0,
    counted = 0,
    short = 0;
  for (const [k, overrides] of [{}, { referenceDay: 'month-start' }, { partTimeWeight: 0.5 }].entries()) {
    const settings = resolveSettings(overrides as Partial<Settings>);
    const e = employer(year, COUNTIES[(year + k) % COUNTIES.length]);
    const got = countMonths(e, employees, params, settings);
    const want = byMonth(e, employees, params, settings);
    expect(got.months).toEqual(want.months);
    expect(got.exclusions).toEqual(want.exclusions);
    expect(got.counted).toEqual(want.counted);
    expect([...got.countedMonths]).toEqual([...want.countedMonths].sort((a, b) => a[0] - b[0]));
    expect(got.shortContractRows).toEqual(want.shortContractRows);
    excluded += want.exclusions.length;
    counted += want.counted.length;
    short += want.shortContractRows.length;
  }
  // the roster reaches every branch: exclusions of every reason, counted employees, short contracts
  const reasons = new Set(
    countMonths(employer(year, '海宁市'), employees, params, resolveSettings()).exclusions.map((x) => x.reason),
  );
  expect(reasons.size).toBe(6);
  expect(excluded).toBeGreaterThan(0);
  expect(counted).toBeGreaterThan(0);
  expect(short).toBeGreaterThan(0);
});
