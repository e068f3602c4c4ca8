/**
 * docs/rules.md §3 — the ONE description of the workbook, shared by the reader, the template writer and the
 * messages. Headers are matched by name, Chinese or English, ignoring spaces, underscores, hyphens,
 * full/half width, case and a bracketed unit ("月工资（元）" = "月工资" = "monthly_wage").
 */
import { EMPLOYER_ATTRIBUTES, EMPLOYMENT_FORMS, FEMALE_POSTS, type EmployerAttribute } from '../rules/types';

export const EMPLOYER_SHEET = '单位信息';
export const EMPLOYEE_SHEET = '职工名册';
export const INSTRUCTIONS_SHEET = '填写说明';
export const PROBLEMS_SHEET = '问题清单';
export const EXAMPLE_MARK = '【示例】';

export type FieldKind =
  'text' | 'date' | 'id' | 'cert' | 'uscc' | 'int' | 'money' | 'bool' | 'enum' | 'months' | 'year';

export interface FieldSpec {
  key: string;
  zh: string;
  en: string;
  aliases?: string[];
  required: boolean;
  kind: FieldKind;
  values?: readonly string[];
  hint: string;
  width?: number;
  example?: string | number;
  /** A figure of the data year itself (not the unit's standing): "start next year" leaves it blank. */
  ofTheYear?: boolean;
}

/** Where the employer details of a CSV uploaded on the web come from: the upload form (its fields are `FieldSpec.key`). */
export const UPLOAD_FORM_SHEET = '上传表单';

/** What the workbook adds to an employer attribute: how its row is labelled, explained and exemplified. */
type SheetPart = Pick<FieldSpec, 'zh' | 'en' | 'aliases' | 'hint' | 'width' | 'example'>;

/** The sheet part of each attribute of EMPLOYER_ATTRIBUTES (server/rules/types.ts), one for each. */
const EMPLOYER_SHEET_PARTS: Record<EmployerAttribute, SheetPart> = {
  name: { zh: '单位名称', en: 'name', hint: '与营业执照一致', example: '嘉兴示例科技有限公司' },
  uscc: { zh: '统一社会信用代码', en: 'uscc', hint: '18位，见营业执照', example: '91330481MA2B3C4D5X' },
  county: { zh: '所在县（市、区）', en: 'county', hint: '从下拉列表选择' },
  unitType: { zh: '单位类型', en: 'unit_type', aliases: ['unittype'], hint: '从下拉列表选择' },
  founded: { zh: '成立日期', en: 'founded', hint: '如 2018-05-20' },
  year: { zh: '评估年度', en: 'year', hint: '数据年度，如 2025（保障金于次年征收）' },
  wageTotal: {
    zh: '上年工资总额（元）',
    en: 'wage_total',
    hint: '评估年度在职职工工资总额；空白则按职工月工资合计',
  },
  blindMassage: { zh: '盲人按摩机构', en: 'blind_massage', hint: '是/否，默认否' },
  auxiliaryEmployment: {
    zh: '辅助性就业机构',
    en: 'auxiliary_employment',
    hint: '辅助性就业（庇护性照料）机构，是/否',
  },
  ecommerce: { zh: '电子商务企业', en: 'ecommerce', hint: '是/否' },
  povertyReliefBase: { zh: '残疾人扶贫基地', en: 'poverty_relief_base', hint: '是/否' },
  familiesSupported: { zh: '辐射带动残疾人户数', en: 'families_supported', hint: '扶贫基地填写，整数' },
  taxPreference: {
    zh: '享受集中安置税收优惠',
    en: 'tax_preference',
    hint: '是否实际享受财税〔2016〕52号增值税优惠（影响超比例奖励）',
  },
};

/** An employer field: an attribute of the unit with its sheet part. */
export type EmployerField = FieldSpec & { key: EmployerAttribute };

/** The sheet 单位信息, row by row: EMPLOYER_ATTRIBUTES in their order, each with its sheet part. */
export const EMPLOYER_FIELDS: EmployerField[] = EMPLOYER_ATTRIBUTES.map((a) => ({
  ...a,
  ...EMPLOYER_SHEET_PARTS[a.key],
}));

const CHINESE_MONTHS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/**
 * The roster's columns. `aliases` are the other ways payroll and WPS exports word a header; each is
 * accepted as the header itself, and the template's instructions list them (templateNames).
 */
export const EMPLOYEE_FIELDS: FieldSpec[] = [
  {
    key: 'name',
    zh: '姓名',
    en: 'name',
    aliases: ['职工姓名', '员工姓名', '人员姓名'],
    required: true,
    kind: 'text',
    hint: '职工姓名',
    width: 12,
  },
  {
    key: 'idNumber',
    zh: '身份证号',
    en: 'id_number',
    aliases: ['身份证号码', '身份证', '公民身份号码', '公民身份证号码', '身份证件号码', '证件号码', '证件号', 'idno'],
    required: true,
    kind: 'id',
    hint: '18位居民身份证号码',
    width: 22,
  },
  {
    key: 'disabilityCert',
    zh: '残疾人证号',
    en: 'disability_cert',
    aliases: ['残疾证号', '残疾证号码', '残疾人证号码', '残疾证编号', '残疾人证编号', '残疾证', '残疾人证'],
    required: false,
    kind: 'cert',
    hint: '20位：身份证号+类别+等级；非残疾人留空',
    width: 24,
  },
  {
    key: 'veteranGrade',
    zh: '残疾军人证等级',
    en: 'veteran_grade',
    aliases: ['残疾军人等级', '残疾军人伤残等级'],
    required: false,
    kind: 'int',
    hint: '持残疾军人证者填 1–8',
    width: 10,
  },
  {
    key: 'hired',
    zh: '入职日期',
    en: 'hired',
    aliases: ['入职时间', '入职日', '入司日期', '入司时间', '进厂日期', '进厂时间', '到岗日期', '聘用日期', '录用日期'],
    required: true,
    kind: 'date',
    hint: '如 2023-03-01',
    width: 12,
  },
  {
    key: 'left',
    zh: '离职日期',
    en: 'left',
    aliases: ['离职时间', '离职日', '离岗日期', '退工日期', '解除合同日期', '解除劳动合同日期', '终止劳动关系日期'],
    required: false,
    kind: 'date',
    hint: '仍在职留空',
    width: 12,
  },
  {
    key: 'contractStart',
    zh: '合同开始',
    en: 'contract_start',
    aliases: [
      '合同开始日期',
      '合同开始时间',
      '合同起始日期',
      '合同起始时间',
      '合同起始日',
      '合同生效日期',
      '劳动合同开始日期',
      '劳动合同起始日期',
    ],
    required: false,
    kind: 'date',
    hint: '空白 = 入职日期',
    width: 12,
  },
  {
    key: 'contractEnd',
    zh: '合同结束',
    en: 'contract_end',
    aliases: [
      '合同到期',
      '合同到期日',
      '合同到期日期',
      '合同到期时间',
      '合同结束日期',
      '合同结束时间',
      '合同终止日期',
      '合同截止日期',
      '劳动合同到期日期',
      '劳动合同结束日期',
    ],
    required: false,
    kind: 'date',
    hint: '无固定期限留空',
    width: 12,
  },
  {
    key: 'employmentForm',
    zh: '用工形式',
    en: 'employment_form',
    aliases: ['用工性质', '用工类型', '用工方式'],
    required: false,
    kind: 'enum',
    values: EMPLOYMENT_FORMS,
    hint: '默认全日制',
    width: 10,
  },
  {
    key: 'dispatchCountedHere',
    zh: '派遣计入本单位',
    en: 'dispatch_counted_here',
    required: false,
    kind: 'bool',
    hint: '仅劳务派遣：是/否，默认否（计入派遣单位）',
    width: 10,
  },
  {
    key: 'insuredMonths',
    zh: '社保缴纳月份',
    en: 'insured_months',
    aliases: ['社保月份', '参保月份', '社保缴费月份', '缴纳社保月份'],
    required: false,
    kind: 'months',
    hint: '如 1-12 或 1-6,9-12；空白 = 在职各月均已缴纳',
    width: 12,
  },
  {
    key: 'monthlyWage',
    zh: '月工资（元）',
    en: 'monthly_wage',
    aliases: ['月工资', '工资', '月薪', '应发工资', '月应发工资', '应发合计'],
    required: true,
    kind: 'money',
    hint: '应发月工资，通过银行发放',
    width: 12,
  },
  ...Array.from({ length: 12 }, (_, i): FieldSpec => ({
    key: `wage${String(i + 1).padStart(2, '0')}`,
    zh: `${i + 1}月工资`,
    en: `wage_${String(i + 1).padStart(2, '0')}`,
    aliases: [
      `wage_${i + 1}`,
      `${i + 1}月`,
      `${i + 1}月份`,
      `${i + 1}月份工资`,
      `${i + 1}月应发工资`,
      `${i + 1}月应发`,
      `${CHINESE_MONTHS[i]}月`,
      `${CHINESE_MONTHS[i]}月工资`,
    ],
    required: false,
    kind: 'money',
    hint: `${i + 1}月实发与月工资不同时填写`,
    width: 10,
  })),
  {
    key: 'femalePost',
    zh: '女职工岗位',
    en: 'female_post',
    required: false,
    kind: 'enum',
    values: FEMALE_POSTS,
    hint: '女职工：工人（默认）或干部，决定退休年龄',
    width: 10,
  },
  {
    key: 'category',
    zh: '残疾类别',
    en: 'disability_category',
    aliases: ['残疾类型', '残疾种类'],
    required: false,
    kind: 'text',
    hint: '可选：视力/听力/言语/肢体/智力/精神/多重，用于核对证号',
    width: 10,
  },
];

/** NFKC (full width → half width), lower case, drop a bracketed unit, spaces, underscores and hyphens. */
export function normalizeHeader(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[（(【[].*?[）)】\]]/g, '')
    .replace(/[\s_\-‐–—]/g, '');
}

function headerIndex(fields: FieldSpec[]): Map<string, FieldSpec> {
  const m = new Map<string, FieldSpec>();
  for (const f of fields) for (const name of [f.zh, f.en, ...(f.aliases ?? [])]) m.set(normalizeHeader(name), f);
  return m;
}

/** A field's English header as words ("id number"), as the template shows it; it matches like the field's own. */
export const englishHeader = (f: Pick<FieldSpec, 'en'>): string => f.en.replace(/_/g, ' ');

/** The Chinese headers a roster column is also read under, for the template's instructions. */
export function otherNames(f: FieldSpec): string[] {
  return (f.aliases ?? []).filter((a) => /[\u4e00-\u9fff]/.test(a));
}

export const EMPLOYER_INDEX = headerIndex(EMPLOYER_FIELDS);
export const EMPLOYEE_INDEX = headerIndex(EMPLOYEE_FIELDS);

export const CATEGORY_NAMES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;

/**
 * The employer fields outside a workbook — a CSV roster's companions — all named from EMPLOYER_FIELDS:
 * the command-line flag (`unitType` → `--unit-type`), the API's multipart form field (the key itself)
 * and its OpenAPI schema. Adding a field to the list adds it to the template, the CLI, the API and the
 * OpenAPI document.
 */
export const cliFlagOf = (f: Pick<FieldSpec, 'key'>): string =>
  `--${f.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export const EMPLOYER_FLAGS: Record<string, string> = Object.fromEntries(
  EMPLOYER_FIELDS.map((f) => [f.key, cliFlagOf(f)]),
);

/** The employer fields found in a bag of strings (a form body, parsed CLI options) by `name(field)`. */
export function employerFieldsFrom(
  bag: Record<string, unknown> | undefined,
  name: (f: FieldSpec) => string = (f) => f.key,
): Record<string, string | undefined> {
  return Object.fromEntries(
    EMPLOYER_FIELDS.map((f) => {
      const v = bag?.[name(f)];
      return [f.key, typeof v === 'string' ? v : undefined];
    }),
  );
}

/** Only what the readers never relax: the values are text, parsed as the workbook's cells are. */
const OPENAPI_TYPE: Partial<Record<FieldKind, Record<string, unknown>>> = { date: { format: 'date' } };

/** The OpenAPI schema of each employer field as a multipart form field. */
export function employerFieldSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    EMPLOYER_FIELDS.map((f) => [
      f.key,
      {
        type: 'string',
        ...OPENAPI_TYPE[f.kind],
        ...(f.values ? { enum: [...f.values] } : {}),
        description: `${f.zh}${f.required ? '（CSV 必填 / required with a CSV）' : ''}：${f.hint}`,
      },
    ]),
  );
}
