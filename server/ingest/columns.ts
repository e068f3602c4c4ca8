/**
 * docs/rules.md §3 — the ONE description of the workbook, shared by the reader, the template writer and the
 * messages. Headers are matched by name, Chinese or English, ignoring spaces, underscores, hyphens,
 * full/half width, case and a bracketed unit ("月工资（元）" = "月工资" = "monthly_wage").
 */
import { COUNTIES, EMPLOYMENT_FORMS, FEMALE_POSTS, UNIT_TYPES } from '../rules/types';

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
}

export const EMPLOYER_FIELDS: FieldSpec[] = [
  {
    key: 'name',
    zh: '单位名称',
    en: 'name',
    required: true,
    kind: 'text',
    hint: '与营业执照一致',
    example: '嘉兴示例科技有限公司',
  },
  {
    key: 'uscc',
    zh: '统一社会信用代码',
    en: 'uscc',
    required: true,
    kind: 'uscc',
    hint: '18位，见营业执照',
    example: '91330481MA2B3C4D5X',
  },
  {
    key: 'county',
    zh: '所在县（市、区）',
    en: 'county',
    required: true,
    kind: 'enum',
    values: COUNTIES,
    hint: '从下拉列表选择',
  },
  {
    key: 'unitType',
    zh: '单位类型',
    en: 'unit_type',
    aliases: ['unittype'],
    required: true,
    kind: 'enum',
    values: UNIT_TYPES,
    hint: '从下拉列表选择',
  },
  { key: 'founded', zh: '成立日期', en: 'founded', required: true, kind: 'date', hint: '如 2018-05-20' },
  {
    key: 'year',
    zh: '评估年度',
    en: 'year',
    required: true,
    kind: 'year',
    hint: '数据年度，如 2025（保障金于次年征收）',
  },
  {
    key: 'wageTotal',
    zh: '上年工资总额（元）',
    en: 'wage_total',
    required: false,
    kind: 'money',
    hint: '评估年度在职职工工资总额；空白则按职工月工资合计',
  },
  {
    key: 'blindMassage',
    zh: '盲人按摩机构',
    en: 'blind_massage',
    required: false,
    kind: 'bool',
    hint: '是/否，默认否',
  },
  {
    key: 'auxiliaryEmployment',
    zh: '辅助性就业机构',
    en: 'auxiliary_employment',
    required: false,
    kind: 'bool',
    hint: '辅助性就业（庇护性照料）机构，是/否',
  },
  { key: 'ecommerce', zh: '电子商务企业', en: 'ecommerce', required: false, kind: 'bool', hint: '是/否' },
  {
    key: 'povertyReliefBase',
    zh: '残疾人扶贫基地',
    en: 'poverty_relief_base',
    required: false,
    kind: 'bool',
    hint: '是/否',
  },
  {
    key: 'familiesSupported',
    zh: '辐射带动残疾人户数',
    en: 'families_supported',
    required: false,
    kind: 'int',
    hint: '扶贫基地填写，整数',
  },
  {
    key: 'taxPreference',
    zh: '享受集中安置税收优惠',
    en: 'tax_preference',
    required: false,
    kind: 'bool',
    hint: '是否实际享受财税〔2016〕52号增值税优惠（影响超比例奖励）',
  },
];

export const EMPLOYEE_FIELDS: FieldSpec[] = [
  { key: 'name', zh: '姓名', en: 'name', required: true, kind: 'text', hint: '职工姓名', width: 12 },
  {
    key: 'idNumber',
    zh: '身份证号',
    en: 'id_number',
    aliases: ['身份证号码', 'idno'],
    required: true,
    kind: 'id',
    hint: '18位居民身份证号码',
    width: 22,
  },
  {
    key: 'disabilityCert',
    zh: '残疾人证号',
    en: 'disability_cert',
    aliases: ['残疾证号'],
    required: false,
    kind: 'cert',
    hint: '20位：身份证号+类别+等级；非残疾人留空',
    width: 24,
  },
  {
    key: 'veteranGrade',
    zh: '残疾军人证等级',
    en: 'veteran_grade',
    required: false,
    kind: 'int',
    hint: '持残疾军人证者填 1–8',
    width: 10,
  },
  { key: 'hired', zh: '入职日期', en: 'hired', required: true, kind: 'date', hint: '如 2023-03-01', width: 12 },
  { key: 'left', zh: '离职日期', en: 'left', required: false, kind: 'date', hint: '仍在职留空', width: 12 },
  {
    key: 'contractStart',
    zh: '合同开始',
    en: 'contract_start',
    required: false,
    kind: 'date',
    hint: '空白 = 入职日期',
    width: 12,
  },
  {
    key: 'contractEnd',
    zh: '合同结束',
    en: 'contract_end',
    required: false,
    kind: 'date',
    hint: '无固定期限留空',
    width: 12,
  },
  {
    key: 'employmentForm',
    zh: '用工形式',
    en: 'employment_form',
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
    required: false,
    kind: 'months',
    hint: '如 1-12 或 1-6,9-12；空白 = 在职各月均已缴纳',
    width: 12,
  },
  {
    key: 'monthlyWage',
    zh: '月工资（元）',
    en: 'monthly_wage',
    required: true,
    kind: 'money',
    hint: '应发月工资，通过银行发放',
    width: 12,
  },
  ...Array.from({ length: 12 }, (_, i): FieldSpec => ({
    key: `wage${String(i + 1).padStart(2, '0')}`,
    zh: `${i + 1}月工资`,
    en: `wage_${String(i + 1).padStart(2, '0')}`,
    aliases: [`wage_${i + 1}`, `${i + 1}月工资（元）`],
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

export function headerIndex(fields: FieldSpec[]): Map<string, FieldSpec> {
  const m = new Map<string, FieldSpec>();
  for (const f of fields) for (const name of [f.zh, f.en, ...(f.aliases ?? [])]) m.set(normalizeHeader(name), f);
  return m;
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
