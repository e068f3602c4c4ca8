/**
 * The workbooks clerks really have — payroll and WPS exports — each written by exceljs and by Debian's
 * python3-openpyxl, read to the expected employees or refused with the expected problem cells: headers
 * worded as payroll words them, a title row and blank rows above the header, a two-level header of merged
 * group cells over sub-headers, a 合计 row and a signature line at the bottom, the roster sheet under
 * another name and in another place, twelve monthly wage columns instead of 月工资, dates typed as text,
 * full-width digits, names padded with spaces.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile, type Ingested } from '../../server/ingest';
import { EMPLOYEE_FIELDS, normalizeHeader, otherNames } from '../../server/ingest/columns';
import { resolveHeader } from '../../server/ingest/header-row';
import { buildTemplate } from '../../server/ingest/template';
import { problemWhere } from '../../server/i18n/problems';
import { shippedParameters } from '../../server/params/load-parameters';
import { makeCert, makeId, makeUscc } from '../helpers/people';
import { writeWorkbook, type Rows, type SheetSpec } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'clerk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const params = shippedParameters();
const TODAY = '2026-03-01';

const EMPLOYER: Rows = [
  ['单位名称', '嘉兴示例精密机械有限公司'],
  ['统一社会信用代码', makeUscc('MA2CLERK')],
  ['所在县（市、区）', '南湖区'],
  ['单位类型', '企业'],
  ['成立日期', '2012-05-01'],
  ['评估年度', 2025],
];

const ID = Array.from({ length: 6 }, (_, i) => makeId(`198${i}-0${i + 1}-1${i}`, i % 2 ? 'M' : 'F', '330402', 40 + i));
/** Full-width digits, as an IME in full-width mode types them. */
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

let n = 0;
type Producer = 'exceljs' | 'openpyxl';
async function write(producer: Producer, sheets: SheetSpec[]): Promise<string> {
  const path = join(dir, `${producer}-${++n}.xlsx`);
  if (producer === 'exceljs') await writeWorkbook(path, sheets);
  else {
    const json = (v: unknown) => (v instanceof Date ? { date: v.toISOString().slice(0, 10) } : (v ?? null));
    const spec = { sheets: sheets.map((s) => ({ ...s, rows: s.rows.map((r) => r.map(json)) })) };
    const specPath = `${path}.json`;
    writeFileSync(specPath, JSON.stringify(spec));
    execFileSync('/usr/bin/python3', [join(__dirname, '..', 'helpers', 'py-roster.py'), 'openpyxl', specPath, path]);
  }
  return path;
}

const read = (path: string, lang: 'zh' | 'en' = 'zh') =>
  ingestFile(path, { fileName: 'roster.xlsx', params, today: TODAY, lang });
/** The employer sheet and a roster sheet named 职工名册 (merged ranges optional), written and read back. */
const readRoster = async (producer: Producer, roster: Rows, merges?: string[]) =>
  read(
    await write(producer, [
      { name: '单位信息', rows: EMPLOYER },
      { name: '职工名册', rows: roster, merges },
    ]),
  );
const at = (r: Ingested) => r.problems.map((p) => `${p.severity} ${p.code} ${p.sheet}!${p.cell}`);
const people = (r: Ingested) =>
  r.employees.map((e) => ({
    row: e.row,
    name: e.name,
    id: e.idNumber,
    cert: e.cert,
    hired: e.hired,
    left: e.left,
    contractStart: e.contractStart,
    contractEnd: e.contractEnd,
    form: e.form,
    wages: [...new Set(e.wagesFen)].join('/'),
  }));

test('no two columns share a header name: every synonym names one column', () => {
  const seen = new Map<string, string>();
  for (const f of EMPLOYEE_FIELDS)
    for (const name of [f.zh, f.en, ...(f.aliases ?? [])]) {
      const k = normalizeHeader(name);
      expect([k, seen.get(k) ?? f.key]).toEqual([k, f.key]);
      seen.set(k, f.key);
    }
});

describe.each<Producer>(['exceljs', 'openpyxl'])('written by %s', (producer) => {
  test('a payroll export: title and blank rows, payroll wording, text dates, a 合计 row and a signature line', async () => {
    const roster: Rows = [
      ['2025年度职工花名册'],
      [],
      ['序号', '姓名', '身份证号码', '残疾证号', '入职时间', '离职时间', '合同到期', '用工性质', '月工资(元)'],
      [1, '张　三', ID[0], null, '2020.3.1', null, '2027/02/28', '全日制', '6,000.00'],
      [2, '欧阳  小明', ID[1], makeCert(ID[1], 4, 2), '2020/03/01', null, '2027年2月28日', '全日制', 6000],
      [3, '王芳', fullWidth(ID[2]), null, '2020年3月1日', '20250630', null, '非全日制', '３５００'],
      [4, 'Ali  Hasan', ID[3], null, 20200301, null, '20270228', '全日制', 5200],
      ['合计', null, null, null, null, null, null, null, 20700],
      ['制表人：李会计', null, null, null, null, null, null, null, null],
    ];
    const r = await read(
      await write(producer, [
        { name: '封面', rows: [['嘉兴示例精密机械有限公司 人事报表']] },
        { name: '单位信息', rows: EMPLOYER },
        { name: '花名册', rows: roster },
      ]),
    );
    expect(at(r)).toEqual([
      'notice header/unknown-column 花名册!A3',
      'notice row/totals-skipped 花名册!A8',
      'notice row/after-totals-skipped 花名册!B9',
    ]);
    expect(people(r)).toEqual([
      {
        row: 4,
        name: '张三',
        id: ID[0],
        cert: null,
        hired: '2020-03-01',
        left: null,
        contractStart: '2020-03-01',
        contractEnd: '2027-02-28',
        form: '全日制',
        wages: '600000',
      },
      {
        row: 5,
        name: '欧阳小明',
        id: ID[1],
        cert: { category: 4, grade: 2 },
        hired: '2020-03-01',
        left: null,
        contractStart: '2020-03-01',
        contractEnd: '2027-02-28',
        form: '全日制',
        wages: '600000',
      },
      {
        row: 6,
        name: '王芳',
        id: ID[2],
        cert: null,
        hired: '2020-03-01',
        left: '2025-06-30',
        contractStart: '2020-03-01',
        contractEnd: null,
        form: '非全日制',
        wages: '350000',
      },
      {
        row: 7,
        name: 'Ali Hasan',
        id: ID[3],
        cert: null,
        hired: '2020-03-01',
        left: null,
        contractStart: '2020-03-01',
        contractEnd: '2027-02-28',
        form: '全日制',
        wages: '520000',
      },
    ]);
    expect(r.problems.find((p) => p.code === 'row/totals-skipped')?.message).toBe('合计行，不是职工，已忽略');
  });

  test('a two-level header: merged group cells (合同期限, 工资) over sub-headers, twelve monthly wage columns', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
    const roster: Rows = [
      ['2025年度职工花名册'],
      ['姓名', '身份证号', '入职日期', '合同期限', null, '应发工资（元）', ...months.slice(1).map(() => null)],
      [null, null, null, '开始日期', '结束日期', ...months],
      ['甲', ID[0], '2020-01-01', '2024-01-01', '2026-12-31', ...months.map(() => 6000)],
      // hired in July: the months before are blank, as a payroll export leaves them
      ['乙', ID[1], '2025-07-01', '2025-07-01', '2028-06-30', ...months.map((_, i) => (i < 6 ? null : 5000 + i))],
    ];
    const merges = ['A2:A3', 'B2:B3', 'C2:C3', 'D2:E2', 'F2:Q2', 'A1:Q1'];
    const r = await readRoster(producer, roster, merges);
    expect(at(r)).toEqual([]);
    expect(r.employees.map((e) => [e.row, e.contractStart, e.contractEnd, e.wagesFen.join(',')])).toEqual([
      [4, '2024-01-01', '2026-12-31', months.map(() => 600000).join(',')],
      [5, '2025-07-01', '2028-06-30', months.map((_, i) => (i < 6 ? 0 : (5000 + i) * 100)).join(',')],
    ]);
  });

  test('twelve monthly columns alone: a month employed with its wage left blank is an error at that cell', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月工资`);
    const roster: Rows = [
      ['姓名', '身份证号', '入职日期', '离职日期', ...months],
      ['甲', ID[0], '2020-01-01', null, ...months.map((_, i) => (i === 4 ? null : 6000))],
      // left at the end of March: April to December may stay blank
      ['乙', ID[1], '2020-01-01', '2025-03-31', 6000, 6000, 6000, ...months.slice(3).map(() => null)],
    ];
    const r = await readRoster(producer, roster);
    expect(at(r)).toEqual(['error row/month-wage-missing 职工名册!I2']);
    expect(r.problems[0].message).toBe('该职工5月在职，但“5月工资”为空。请填写该月的应发工资（元）');
    expect(r.hasErrors).toBe(true);
    expect(r.employees.map((e) => e.name)).toEqual(['乙']);
  });

  test('some monthly columns and no 月工资: the header row says which months are missing', async () => {
    const roster: Rows = [
      ['姓名', '身份证号', '入职日期', '1月', '2月', '3月'],
      ['甲', ID[0], '2020-01-01', 6000, 6000, 6000],
    ];
    const r = await readRoster(producer, roster);
    expect(at(r)).toEqual(['error header/missing-wage-months 职工名册!1:1']);
    expect(r.problems[0].message).toContain('缺 4、5、6、7、8、9、10、11、12 月');
    expect(problemWhere(r.problems[0], 'zh')).toBe('“职工名册”表第 1 行（表头）');
  });

  test('no sheet with a roster header: the sheets found are listed, in both languages', async () => {
    const sheets: SheetSpec[] = [
      { name: '单位信息', rows: EMPLOYER },
      { name: '说明', rows: [['本表由人事部填写']] },
      {
        name: '数据',
        rows: [
          ['部门', '人数'],
          ['生产部', 12],
        ],
      },
    ];
    const path = await write(producer, sheets);
    const zh = await read(path);
    expect(at(zh)).toEqual(['error sheet/roster-not-found 职工名册!']);
    expect(zh.problems[0].message).toContain('找到的工作表：“单位信息”、“说明”、“数据”');
    const en = await read(path, 'en');
    expect(en.problems[0].message).toContain('Sheets found: "单位信息", "说明", "数据"');
  });

  test('a social-insurance group over bare months is not read as wages', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
    const roster: Rows = [
      ['姓名', '身份证号', '入职日期', '月工资', '社保缴纳情况', ...months.slice(1).map(() => null)],
      [null, null, null, null, ...months],
      ['甲', ID[0], '2020-01-01', 6000, ...months.map(() => '√')],
    ];
    const r = await readRoster(producer, roster, ['A1:A2', 'B1:B2', 'C1:C2', 'D1:D2', 'E1:P1']);
    expect(r.problems.filter((p) => p.code !== 'header/unknown-column').map((p) => `${p.code} ${p.cell}`)).toEqual([]);
    expect(r.problems.map((p) => p.cell)).toEqual(months.map((_, i) => `${String.fromCharCode(69 + i)}2`));
    expect(r.employees.map((e) => e.wagesFen[0])).toEqual([600000]);
  });
});

test("the template's instructions list each column's other names, each read as that column; no identifiers shown", async () => {
  const wb = await buildTemplate({ year: 2025 });
  const help = wb.getWorksheet('填写说明')!;
  const lines = (help.getColumn(1).values as unknown[]).filter((v): v is string => typeof v === 'string');
  const listed = lines.flatMap((l) => {
    const m = /^\s+(\S+?)：(.+)$/.exec(l);
    return m && !m[1].includes('…') ? [{ column: m[1], names: m[2].split('、') }] : [];
  });
  expect(listed.map((l) => l.column)).toEqual(
    EMPLOYEE_FIELDS.filter((f) => otherNames(f).length && !/^wage\d/.test(f.key)).map((f) => f.zh),
  );
  for (const { column, names } of listed)
    for (const name of names) expect([name, resolveHeader(name, undefined)?.zh]).toEqual([name, column]);
  // the 说明 column, the header notes and the instructions name no field identifier (id_number, unit_type)
  const emp = wb.getWorksheet('单位信息')!;
  const shown = [
    ...lines,
    ...(emp.getColumn(3).values as unknown[]).filter((v): v is string => typeof v === 'string'),
    ...EMPLOYEE_FIELDS.map((_, i) =>
      String(
        wb
          .getWorksheet('职工名册')!
          .getRow(1)
          .getCell(i + 1).note,
      ),
    ),
  ];
  expect(shown.filter((s) => /[a-z]+_[a-z]+/i.test(s))).toEqual([]);
  expect(emp.getCell(1, 3).value).toBe('说明');
  expect(shown.filter((s) => s.startsWith('必填。18位居民身份证号码。也可写作：身份证号码、'))).toHaveLength(1);
});
