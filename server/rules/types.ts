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

/** What each kind of employer attribute holds once read. */
export interface AttributeValues {
  text: string;
  uscc: string;
  enum: string;
  date: ISODate;
  year: number;
  money: Q | null;
  bool: boolean;
  int: number;
}
export type AttributeKind = keyof AttributeValues;

/** What an optional attribute left blank holds; only these kinds may be optional. */
export const BLANK_ATTRIBUTE = { money: null, bool: false, int: 0 } as const;
type BlankableKind = keyof typeof BLANK_ATTRIBUTE;

export type AttributeSpec = {
  key: string;
  /** The choices of an `enum` attribute; its value type is their union. */
  values?: readonly string[];
  /** A figure of the data year itself (not the unit's standing): "start next year" leaves it blank. */
  ofTheYear?: boolean;
} & ({ required: true; kind: AttributeKind } | { required: false; kind: BlankableKind });

/**
 * The unit's attributes, declared once. The `Employer` type is derived from this list; ingestion adds to
 * each entry its sheet label, hint and example (EMPLOYER_FIELDS in server/ingest/columns.ts), and the
 * template, the CSV flags, the API form fields, the OpenAPI document and carry-forward follow from that.
 * A new attribute is one entry here, its sheet part there, and the rule that reads it.
 */
export const EMPLOYER_ATTRIBUTES = [
  { key: 'name', kind: 'text', required: true },
  { key: 'uscc', kind: 'uscc', required: true },
  { key: 'county', kind: 'enum', values: COUNTIES, required: true },
  { key: 'unitType', kind: 'enum', values: UNIT_TYPES, required: true },
  { key: 'founded', kind: 'date', required: true },
  { key: 'year', kind: 'year', required: true },
  /** 上年工资总额; null = the sum of staff wages. */
  { key: 'wageTotal', kind: 'money', required: false, ofTheYear: true },
  { key: 'blindMassage', kind: 'bool', required: false },
  { key: 'auxiliaryEmployment', kind: 'bool', required: false },
  { key: 'ecommerce', kind: 'bool', required: false },
  { key: 'povertyReliefBase', kind: 'bool', required: false },
  { key: 'familiesSupported', kind: 'int', required: false },
  { key: 'taxPreference', kind: 'bool', required: false },
] as const satisfies readonly AttributeSpec[];

type Attribute = (typeof EMPLOYER_ATTRIBUTES)[number];
type ValueOf<A extends Attribute> = A extends { values: readonly (infer V)[] } ? V : AttributeValues[A['kind']];
export type EmployerAttribute = Attribute['key'];
type RequiredAttribute = Extract<Attribute, { required: true }>['key'];

/** The unit as the engine sees it: one property per entry of EMPLOYER_ATTRIBUTES, typed by its kind. */
export type Employer = { [A in Attribute as A['key']]: ValueOf<A> };

/** An employer from its required attributes; each optional one not given holds its kind's blank. */
export function employerWith(given: Pick<Employer, RequiredAttribute> & Partial<Employer>): Employer {
  const out: Record<string, unknown> = {};
  for (const a of EMPLOYER_ATTRIBUTES)
    out[a.key] = a.key in given ? given[a.key] : a.required ? undefined : BLANK_ATTRIBUTE[a.kind];
  return out as Employer;
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
  /**
   * The attributes the workbook left blank that ingestion filled with their default (合同开始 = 入职日期,
   * 女职工岗位 = 工人), so that what is written for the next year does not pass a default off as a fact.
   */
  assumed?: readonly AssumedAttribute[];
}

export type AssumedAttribute = 'contractStart' | 'femalePost';

export const EXCLUSION_REASONS = [
  'dispatched-elsewhere',
  'not-working-age',
  'contract-under-one-year',
  'contract-not-covering',
  'social-insurance-missing',
  'wage-below-minimum',
  /** The month is kept by another unit that counts the same person (docs/rules.md §4.2, X1). */
  'counted-by-another-unit',
  /** The 残联's register: the certificate was cancelled, or had expired, by the reference day (§4.3). */
  'certificate-cancelled',
  'certificate-expired',
  /** The certificate is not in the register, and the reading is to count it in no month (§4.3). */
  'certificate-not-in-register',
  /** A month the workbook says was insured that the insurer's records do not show (§4.4). */
  'insurance-not-in-records',
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
