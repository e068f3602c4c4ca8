/**
 * ID and certificate numbers held as number cells — what Excel makes of an 18-digit number typed into a
 * General column: 15 significant digits, the rest zeros. Such a cell is an error at that cell saying the
 * last digits were lost and how to fix it; it is never read as an ID and never reaches the engine, even
 * when what is left happens to pass the check digit (about 1 in 11 do). Workbooks written by exceljs and by
 * Debian's python3-openpyxl, and a CSV saved from Excel (the number as "3.30481E+17").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentIdCheckChar } from '../../server/ingest/fields/resident-id';
import { shippedParameters } from '../../server/params/load-parameters';
import { checkFile } from '../../server/services/check-file';
import { makeCert, makeId, makeUscc } from '../helpers/people';
import { writeWorkbook, type Rows } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'number-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const params = shippedParameters();

/** What Excel keeps of a number: 15 significant digits. */
const asExcelNumber = (digits: string) => Number(Number(digits).toPrecision(15));
/** The text the reader would see if it took the number as an ID. */
const mangled = (digits: string) => String(asExcelNumber(digits));
const passesCheck = (s: string) => /^\d{18}$/.test(s) && residentIdCheckChar(s.slice(0, 17)) === s[17];

// IDs ending in a digit (an X could not be typed as a number), chosen so that a good share of them still
// pass the check digit once Excel has mangled them: the case that used to count the wrong person silently
const ids: string[] = [];
for (let n = 0, lucky = 0; ids.length < 60; n++) {
  const id = makeId(`19${70 + (n % 25)}-0${1 + (n % 9)}-1${n % 10}`, n % 2 ? 'M' : 'F', '330402', n);
  if (id.endsWith('X')) continue;
  const passes = passesCheck(mangled(id));
  if (passes && lucky >= 20) continue;
  if (!passes && ids.length - lucky >= 40) continue;
  if (passes) lucky++;
  ids.push(id);
}
const LUCKY = ids.filter((id) => passesCheck(mangled(id))).length;

const EMPLOYER: Rows = [
  ['单位名称', '嘉兴示例精密机械有限公司'],
  ['统一社会信用代码', makeUscc('MA2NUM01')],
  ['所在县（市、区）', '南湖区'],
  ['单位类型', '企业'],
  ['成立日期', '2012-05-01'],
  ['评估年度', 2025],
];
const HEADER = ['姓名', '身份证号', '残疾人证号', '入职日期', '月工资（元）'];
const GOOD = makeId('1985-04-04', 'M', '330402', 777);
/** One row typed correctly (text ID), then the rest with number cells; every fifth disabled, its certificate a number too. */
const roster = (): Rows => [
  HEADER,
  ['王正常', GOOD, null, '2020-01-01', 6000],
  ...ids.map((id, i) => [
    `职工${i + 1}`,
    asExcelNumber(id),
    i % 5 === 0 ? asExcelNumber(makeCert(id, 4, 2)) : null,
    '2020-01-01',
    6000,
  ]),
];

async function exceljsFile(): Promise<string> {
  const path = join(dir, 'exceljs.xlsx');
  await writeWorkbook(path, [
    { name: '单位信息', rows: EMPLOYER },
    { name: '职工名册', rows: roster() },
  ]);
  return path;
}

function openpyxlFile(): string {
  const path = join(dir, 'openpyxl.xlsx');
  const spec = {
    sheets: [
      { name: '单位信息', rows: EMPLOYER },
      { name: '职工名册', rows: roster() },
    ],
  };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  execFileSync('/usr/bin/python3', [
    join(__dirname, '..', 'helpers', 'py-roster.py'),
    'openpyxl',
    join(dir, 'spec.json'),
    path,
  ]);
  return path;
}

test(`the sample holds mangled IDs that pass the check digit (${LUCKY} of ${ids.length})`, () => {
  expect(LUCKY).toBeGreaterThanOrEqual(20);
  // and the mangled form really is what the reader would have taken for an 18-digit ID
  expect(ids.every((id) => /^\d{18}$/.test(mangled(id)) && mangled(id) !== id)).toBe(true);
});

describe.each([
  ['exceljs', exceljsFile],
  ['openpyxl', async () => openpyxlFile()],
])('a roster written by %s with ID numbers as number cells', (_producer, make) => {
  test('every number cell is an error at its cell, no such row is read, the engine is not run', async () => {
    const path = await make();
    const checked = await checkFile(path, params, { fileName: 'roster.xlsx', lang: 'zh', origin: 'cli' });
    expect(checked.result).toBeNull();
    expect(checked.hasErrors).toBe(true);
    const at = (code: string) =>
      checked.problems
        .filter((p) => p.code === code)
        .map((p) => p.cell)
        .sort();
    const rows = ids.map((_, i) => i + 3);
    expect(at('cell/id-number-cell')).toEqual(rows.map((r) => `B${r}`).sort());
    expect(at('cell/cert-number-cell')).toEqual(
      rows
        .filter((_, i) => i % 5 === 0)
        .map((r) => `C${r}`)
        .sort(),
    );
    // never the wrong advice of a typo in the check digit, never a certificate "not matching" its ID
    expect(at('cell/id-checksum')).toEqual([]);
    expect(at('cell/cert-mismatch')).toEqual([]);
    // only the row typed as text became an employee
    expect(checked.ingested.employees.map((e) => e.idNumber)).toEqual([GOOD]);
    const message = checked.problems.find((p) => p.code === 'cell/id-number-cell')!.message;
    expect(message).toContain('15 位有效数字');
    expect(message).toContain('“文本”格式');
  });

  test('in English the message says the same', async () => {
    const path = await make();
    const checked = await checkFile(path, params, { fileName: 'roster.xlsx', lang: 'en', origin: 'cli' });
    expect(checked.problems.find((p) => p.code === 'cell/id-number-cell')?.message).toMatch(
      /stored as a number: Excel keeps only 15 significant digits.*Format the column as Text/,
    );
  });
});

test('a CSV saved from Excel holds the number in scientific notation: the same error at the cell', async () => {
  const path = join(dir, 'roster.csv');
  const sci = (id: string) => asExcelNumber(id).toExponential(5).toUpperCase();
  writeFileSync(
    path,
    [
      '姓名,身份证号,入职日期,月工资（元）',
      `王正常,${GOOD},2020-01-01,6000`,
      ...ids.slice(0, 5).map((id, i) => `职工${i + 1},${sci(id)},2020-01-01,6000`),
    ].join('\n'),
  );
  const checked = await checkFile(path, params, {
    fileName: 'roster.csv',
    lang: 'zh',
    origin: 'cli',
    employerFields: {
      name: '嘉兴示例精密机械有限公司',
      uscc: makeUscc('MA2NUM01'),
      county: '南湖区',
      unitType: '企业',
      founded: '2012-05-01',
      year: '2025',
    },
  });
  expect(checked.result).toBeNull();
  expect(checked.problems.filter((p) => p.code === 'cell/id-number-cell').map((p) => p.cell)).toEqual([
    'B3',
    'B4',
    'B5',
    'B6',
    'B7',
  ]);
  expect(checked.ingested.employees.map((e) => e.idNumber)).toEqual([GOOD]);
});
