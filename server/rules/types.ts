/** Engine inputs (what ingestion produces) and the counting facts passed between rule files. */
import type { ISODate } from './calendar';
import type { Q } from './money';

export const COUNTIES = ['南湖区', '秀洲区', '嘉善县', '海盐县', '海宁市', '平湖市', '桐乡市'] as const;
export type County = (typeof COUNTIES)[number];

/** Administrative division codes of the counties (GB/T 2260), e.g. for certificate numbers. */
export const COUNTY_CODES: Record<County, string> = {
  南湖区: '330402',
  秀洲区: '330411',
  嘉善县: '330421',
  海盐县: '330424',
  海宁市: '330481',
  平湖市: '330482',
  桐乡市: '330483',
};

/** 社会团体 and 民办非企业单位 are the registration types the county aggregate of a notice reports; 社会组织 stays for workbooks that do not say which. */
export const UNIT_TYPES = [
  '企业',
  '国有企业',
  '机关',
  '事业单位',
  '社会团体',
  '民办非企业单位',
  '社会组织',
  '个体工商户',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** 机关、事业单位、国有企业 — listed first in the disclosure (J3.2). */
export const PUBLIC_SECTOR_TYPES: readonly UnitType[] = ['机关', '事业单位', '国有企业'];

export const EMPLOYMENT_FORMS = ['全日制', '非全日制', '劳务派遣', '季节性'] as const;
export type EmploymentForm = (typeof EMPLOYMENT_FORMS)[number];

export const FEMALE_POSTS = ['工人', '干部'] as const;
export type FemalePost = (typeof FEMALE_POSTS)[number];

export interface Employer {
  name: string;
  uscc: string;
  county: County;
  unitType: UnitType;
  founded: ISODate;
  year: number;
  /** 上年工资总额; null = the sum of staff wages. */
  wageTotal: Q | null;
  blindMassage: boolean;
  auxiliaryEmployment: boolean;
  ecommerce: boolean;
  povertyReliefBase: boolean;
  familiesSupported: number;
  taxPreference: boolean;
}

export interface Certificate {
  /** 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重 */
  category: number;
  /** 1–4 */
  grade: number;
}

export interface Employee {
  /** Spreadsheet row number (1-based), to point the user at the line. */
  row: number;
  name: string;
  idNumber: string;
  birthDate: ISODate;
  sex: 'M' | 'F';
  cert: Certificate | null;
  veteranGrade: number | null;
  hired: ISODate;
  left: ISODate | null;
  /** Resolved: blank in the sheet = `hired`. */
  contractStart: ISODate;
  /** null = open-ended (无固定期限). */
  contractEnd: ISODate | null;
  form: EmploymentForm;
  dispatchCountedHere: boolean;
  /** Months (1–12) with full social insurance paid; null = every employed month. */
  insuredMonths: readonly number[] | null;
  /** Resolved wage of each month 1–12 in integer 分 (index 0 = January); ingestion allows ≤ 2 decimals. */
  wagesFen: readonly number[];
  femalePost: FemalePost;
}

export const EXCLUSION_REASONS = [
  'dispatched-elsewhere',
  'not-working-age',
  'contract-under-one-year',
  'contract-not-covering',
  'social-insurance-missing',
  'wage-below-minimum',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What one month contributes (docs/rules.md §4). Weighted counts and staff may be fractional (I6). */
export interface MonthFacts {
  month: number;
  referenceDay: ISODate;
  staff: Q;
  disabled: number;
  weighted: number;
  /** Wages of the employees on staff this month, integer 分. */
  staffWagesFen: number;
  minWage: Q;
  minWageSource: string;
}
