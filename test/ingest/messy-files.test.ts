/** Messy-but-valid files read to the same result as the clean layout. */
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { buildTemplate } from '../../server/ingest/template';
import { shippedParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import { makeCert, makeId, makeUscc } from '../helpers/people';
import { employerRows, writeWorkbook } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'messy-'));
const params = shippedParameters();
const USCC = makeUscc('MA2C0001');
const EMPLOYER = {
  单位名称: '海宁示例有限公司',
  统一社会信用代码: USCC,
  '所在县（市、区）': '海宁市',
  单位类型: '企业',
  成立日期: '2015-06-01',
  评估年度: 2025,
};

// 8 people: 5 regular, 2 disabled (one severe), 1 dispatched disabled counted here
const people = Array.from({ length: 8 }, (_, i) => ({
  name: `员工${i + 1}`,
  id: makeId('1988-08-08', i % 2 ? 'M' : 'F', '330481', i),
}));
const certOf = (i: number) => (i === 5 ? makeCert(people[i].id, 4, 2) : i >= 6 ? makeCert(people[i].id, 2, 4) : null);

async function figures(path: string, fileName: string, employerFields?: Record<string, string>) {
  const r = await ingestFile(path, { fileName, params, employerFields, today: '2026-11-28' });
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const res = check(r.employer!, r.employees, params);
  return {
    result: {
      months: res.months,
      annual: res.annual,
      quota: res.quota,
      levy: res.levy,
      concentrated: res.concentrated,
      rewards: res.rewards,
      whatIf: res.whatIf,
    },
    problems: r.problems,
  };
}

async function clean() {
  const file = join(dir, 'clean.xlsx');
  const header = [
    '姓名',
    '身份证号',
    '残疾人证号',
    '入职日期',
    '用工形式',
    '派遣计入本单位',
    '社保缴纳月份',
    '月工资（元）',
  ];
  const rows = people.map((p, i) => [
    p.name,
    p.id,
    certOf(i),
    '2020-01-01',
    i === 7 ? '劳务派遣' : '全日制',
    i === 7 ? '是' : null,
    '1-12',
    6000,
  ]);
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerRows(EMPLOYER) },
    { name: '职工名册', rows: [header, ...rows] },
  ]);
  return figures(file, 'clean.xlsx');
}

test('title rows, English headers in any order and spelling, every date form, numbers as text, blank rows', async () => {
  const base = await clean();
  const file = join(dir, 'messy.xlsx');
  const header = [
    'Monthly Wage',
    'NOTES',
    'id-number',
    'Name',
    'HIRED',
    'Disability_Cert',
    'dispatch counted here',
    'Employment Form',
    'INSURED MONTHS',
  ];
  const dates: (string | number | Date)[] = [
    new Date(Date.UTC(2020, 0, 1)),
    '2020/1/1',
    '2020.1.1',
    '2020年1月1日',
    43831,
    '2020-01-01',
    '20200101',
    '２０２０－０１－０１',
  ];
  const wages = ['6,000', '6000.00', 6000, '￥6000', '6,000元', ' 6000 ', '６０００', '6，000'];
  const rows = people.map((p, i) => [
    wages[i],
    '备注',
    p.id.toLowerCase(),
    p.name,
    dates[i],
    certOf(i),
    i === 7 ? 'Y' : null,
    i === 7 ? '劳务派遣' : null,
    '1-12',
  ]);
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: [
        ['单位基本信息表'],
        [],
        ...employerRows({
          Name: EMPLOYER.单位名称,
          USCC: ` ${USCC.toLowerCase()} `,
          County: '海宁市',
          'Unit Type': '企业',
          FOUNDED: '2015年6月1日',
          year: '2025',
        }),
      ],
    },
    {
      name: '职工名册',
      rows: [
        ['海宁示例有限公司 2025年职工花名册'],
        [],
        header,
        ...rows.slice(0, 3),
        [],
        [null, null, null],
        ...rows.slice(3),
      ],
    },
  ]);
  const messy = await figures(file, 'messy.xlsx');
  expect(messy.result).toEqual(base.result);
  expect(messy.problems).toEqual([
    expect.objectContaining({
      severity: 'notice',
      code: 'header/unknown-column',
      cell: 'B3',
      message: '未识别的列“NOTES”，已忽略',
    }),
  ]);
  expect(base.result.annual).toMatchObject({ avgStaff: 8, avgDisabled: 3, avgWeighted: 4 });
});

test('a CSV roster with the employer given separately, in UTF-8 with BOM and in GB18030', async () => {
  const base = await clean();
  const lines = [
    '姓名,身份证号,残疾人证号,入职日期,用工形式,派遣计入本单位,社保缴纳月份,月工资（元）',
    ...people.map((p, i) =>
      [
        p.name,
        p.id,
        certOf(i) ?? '',
        '2020-01-01',
        i === 7 ? '劳务派遣' : '',
        i === 7 ? '是' : '',
        '"1-12"',
        '"6,000"',
      ].join(','),
    ),
  ];
  const fields = {
    name: EMPLOYER.单位名称,
    uscc: USCC,
    county: '海宁市',
    unitType: '企业',
    founded: '2015-06-01',
    year: '2025',
  };
  const utf8 = join(dir, 'roster.csv');
  writeFileSync(utf8, '\uFEFF' + lines.join('\r\n'));
  expect((await figures(utf8, 'roster.csv', fields)).result).toEqual(base.result);
  const gbk = join(dir, 'roster-gbk.csv');
  // GB18030 bytes for the header and names, written without an encoder library: via iconv-free TextEncoder fallback
  writeFileSync(gbk, encodeGb18030(lines.join('\n')));
  expect((await figures(gbk, 'roster-gbk.csv', fields)).result).toEqual(base.result);
  const missing = await ingestFile(utf8, { fileName: 'roster.csv', params, employerFields: { name: 'x' } });
  expect(missing.problems.filter((p) => p.code === 'csv/employer-flag').map((p) => p.cell)).toEqual([
    '--uscc',
    '--county',
    '--unit-type',
    '--founded',
    '--year',
  ]);
});

test('the shipped template, filled in, reads to the same result (its example row is ignored)', async () => {
  const base = await clean();
  const wb = await buildTemplate({ year: 2025 });
  const emp = wb.getWorksheet('单位信息')!;
  const byLabel = (label: string) => emp.getColumn(1).values.findIndex((v) => v === label);
  emp.getCell(byLabel('单位名称'), 2).value = EMPLOYER.单位名称;
  emp.getCell(byLabel('统一社会信用代码'), 2).value = USCC;
  emp.getCell(byLabel('所在县（市、区）'), 2).value = '海宁市';
  emp.getCell(byLabel('单位类型'), 2).value = '企业';
  emp.getCell(byLabel('成立日期'), 2).value = new Date(Date.UTC(2015, 5, 1));
  const ros = wb.getWorksheet('职工名册')!;
  const col = (h: string) => (ros.getRow(1).values as string[]).indexOf(h);
  people.forEach((p, i) => {
    const r = ros.getRow(i + 3);
    r.getCell(col('姓名')).value = p.name;
    r.getCell(col('身份证号')).value = p.id;
    if (certOf(i)) r.getCell(col('残疾人证号')).value = certOf(i);
    r.getCell(col('入职日期')).value = new Date(Date.UTC(2020, 0, 1));
    if (i === 7) {
      r.getCell(col('用工形式')).value = '劳务派遣';
      r.getCell(col('派遣计入本单位')).value = '是';
    }
    r.getCell(col('社保缴纳月份')).value = '1-12';
    r.getCell(col('月工资（元）')).value = 6000;
  });
  const file = join(dir, 'template-filled.xlsx');
  await wb.xlsx.writeFile(file);
  const filled = await figures(file, 'template-filled.xlsx');
  expect(filled.result).toEqual(base.result);
  expect(filled.problems).toEqual([expect.objectContaining({ code: 'row/example-skipped', cell: 'A2' })]);
  // the template carries drop-downs, a frozen header and instructions
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(file);
  expect(back.worksheets.map((w) => w.name)).toEqual(['填写说明', '单位信息', '职工名册']);
  const r2 = back.getWorksheet('职工名册')!;
  expect(r2.getCell(3, col('用工形式')).dataValidation).toMatchObject({
    type: 'list',
    formulae: ['"全日制,非全日制,劳务派遣,季节性"'],
  });
  expect(r2.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
});

/** GB18030 encoding of text that is ASCII plus the few Han characters used here, via Node's ICU decoder table. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, Buffer>();
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const b = Buffer.from([hi, lo]);
      const ch = decoder.decode(b);
      if (ch.length === 1 && !table.has(ch)) table.set(ch, b);
    }
  return Buffer.concat(
    [...text].map((ch) => (ch.charCodeAt(0) < 0x80 ? Buffer.from(ch) : (table.get(ch) ?? Buffer.from('?')))),
  );
}

test('the cell of each employer field is reported where it actually is', async () => {
  const file = join(dir, 'cells.xlsx');
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: [
        ['单位基本信息表'],
        [],
        ...employerRows({
          Name: '某公司',
          USCC: USCC,
          County: '海宁市',
          'Unit Type': '企业',
          FOUNDED: '2015-06-01',
          year: 2025,
        }),
      ],
    },
    {
      name: '职工名册',
      rows: [
        ['姓名', '身份证号', '入职日期', '月工资'],
        ['甲', people[0].id, '2020-01-01', 6000],
      ],
    },
  ]);
  const r = await ingestFile(file, { fileName: 'cells.xlsx', params });
  expect(r.employerCells.get('name')).toBe('B3');
  expect(r.employerCells.get('uscc')).toBe('B4');
  expect(r.employerSheet).toBe('单位信息');
});
