/**
 * The reader against the exceljs streaming reader it replaced: the workbooks the test
 * suites write (golden cases, demo and fixture rosters, the template, the bench's synthetic roster, the
 * validation and messy-file shapes) and a generated set with the shapes real files have — shared and
 * inline strings, rich text, numbers stored as text, date styles and the 1904 date system, formulas with
 * cached values, empty rows, hidden and extra sheets, WPS-style parts — read to identical rows.
 * Where exceljs was wrong (a character split between inflated chunks, inline rich text, phonetic runs,
 * double-decoded references, prefixed element names, worksheet parts not named sheetN.xml) the reader
 * is held to expectations written here instead; the Chinese rosters are in chinese-roster.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoWorkbook } from '../../server/demo/workbooks';
import { writeTemplate } from '../../server/ingest/template';
import { writeSynthetic } from '../bench/synthetic';
import { employerSheet, rosterSheet, writeSimpleWorkbook } from '../helpers/demo-workbooks';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { expandEmployees, loadCases } from '../helpers/golden';
import { makeUscc, resetIds } from '../helpers/people';
import { rowsByExceljs, rowsByReader } from '../helpers/sheet-rows';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';
import { rawXlsx, makeZip, type RawSheet } from '../helpers/zip';

const dir = mkdtempSync(join(tmpdir(), 'reader-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);

/**
 * exceljs turns a character split between two inflated chunks into U+FFFD; such a cell is the one
 * difference allowed, and only when the reader's value is the same text with one whole character in
 * place of each run of U+FFFD.
 */
function splitCharacter(old: unknown, now: unknown): boolean {
  if (typeof old !== 'string' || typeof now !== 'string' || !old.includes('\uFFFD') || now.includes('\uFFFD'))
    return false;
  const pattern = old
    .split(/\uFFFD+/)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.');
  return new RegExp(`^${pattern}$`, 'u').test(now);
}

async function same(file: string): Promise<number> {
  const [old, now] = await Promise.all([rowsByExceljs(file), rowsByReader(file)]);
  expect(Object.keys(now).sort()).toEqual(Object.keys(old).sort());
  expect(Object.values(now).flat().length).toBeGreaterThan(0);
  let split = 0;
  const diffs: string[] = [];
  for (const sheet of Object.keys(old)) {
    expect(now[sheet].map(([r]) => r)).toEqual(old[sheet].map(([r]) => r));
    now[sheet].forEach(([r, cells], i) => {
      const before = old[sheet][i][1];
      if (cells.length !== before.length) diffs.push(`${sheet}!${r}: ${cells.length} cells, exceljs ${before.length}`);
      cells.forEach((c, k) => {
        if (
          c instanceof Date && before[k] instanceof Date
            ? c.getTime() === (before[k] as Date).getTime()
            : c === before[k]
        )
          return;
        if (splitCharacter(before[k], c)) split++;
        else diffs.push(`${sheet}!${r}[${k}]: ${JSON.stringify(c)} ≠ exceljs ${JSON.stringify(before[k])}`);
      });
    });
  }
  expect(diffs.slice(0, 10)).toEqual([]);
  return split;
}

describe('workbooks the test suites write', () => {
  test('golden cases (every case of test/golden/*.yaml)', async () => {
    let n = 0;
    for (const f of readdirSync(join(__dirname, '..', 'golden')).filter((x) => x.endsWith('.yaml'))) {
      for (const c of loadCases(join(__dirname, '..', 'golden', f))) {
        resetIds();
        const employer = {
          name: '嘉兴测试有限公司',
          uscc: makeUscc('MA2GQL01'),
          county: '海宁市',
          unit_type: '企业',
          founded: '2010-01-01',
          ...c.employer,
        };
        const employees = expandEmployees(c.employees);
        const header = [...new Set(employees.flatMap((e) => Object.keys(e)))];
        const file = path(`golden-${n++}.xlsx`);
        await writeWorkbook(file, [
          { name: '单位信息', rows: employerRows(employer) },
          { name: '职工名册', rows: rosterRows(header, employees) },
        ]);
        await same(file);
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  test('demo and fixture rosters, the template, the simple workbook, inline strings', async () => {
    const employer = {
      name: '嘉兴示例精密机械有限公司',
      uscc: '91330481MA2B3C4D01',
      county: '海宁市',
      unit_type: '企业',
    };
    for (const kind of ['short', 'concentrated'] as const) {
      await writeDemoWorkbook(path(`demo-${kind}.xlsx`), employer, kind);
      await same(path(`demo-${kind}.xlsx`));
      await writeRosterWorkbook(path(`fixture-${kind}.xlsx`), employer, kind);
      await same(path(`fixture-${kind}.xlsx`));
    }
    await writeTemplate(path('template.xlsx'), { year: 2025 });
    await same(path('template.xlsx'));
    await writeSimpleWorkbook(path('simple.xlsx'), 30, 3);
    await same(path('simple.xlsx'));
    await writeWorkbook(
      path('inline.xlsx'),
      [
        { name: '单位信息', rows: employerSheet() },
        { name: '职工名册', rows: rosterSheet(50, 5) },
        { name: '备注', rows: [['自填说明'], [], [null, 12.5, true]] },
      ],
      { sharedStrings: false },
    );
    await same(path('inline.xlsx'));
  });

  test("the bench's synthetic roster (5,000 employees)", async () => {
    await writeSynthetic(path('synthetic.xlsx'), 5000);
    await same(path('synthetic.xlsx'));
    // and every name as the generator wrote it (exceljs garbles some of them)
    const names = (await rowsByReader(path('synthetic.xlsx')))['职工名册'].slice(1).map(([, cells]) => cells[1]);
    expect(names).toEqual(Array.from({ length: 5000 }, (_, i) => `职工${i + 1}`));
  }, 60_000);
});

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const STYLES =
  `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><numFmts count="5">` +
  '<numFmt numFmtId="176" formatCode="yyyy/m/d;@"/><numFmt numFmtId="177" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>' +
  '<numFmt numFmtId="178" formatCode="0.00&quot;元&quot;"/><numFmt numFmtId="179" formatCode="[Red]#,##0"/><numFmt numFmtId="180" formatCode="[$-F800]dddd, mmmm dd, yyyy"/></numFmts>' +
  '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>' +
  '<cellXfs count="10"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177" applyNumberFormat="1"/>' +
  '<xf numFmtId="178" applyNumberFormat="1"/><xf numFmtId="31" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/><xf numFmtId="179" applyNumberFormat="1"/><xf numFmtId="180" applyNumberFormat="1"/><xf numFmtId="49" applyNumberFormat="1"/></cellXfs></styleSheet>';

const SST = [
  '<si><t>姓名</t></si>',
  '<si><t>全日制</t></si>',
  '<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t>欧阳</t></r><r><rPr><sz val="11"/></rPr><t xml:space="preserve">修 </t></r></si>',
  '<si><t>3000</t></si>',
  '<si><t>0571</t></si>',
  '<si><t xml:space="preserve"> 前后空格 </t></si>',
  '<si><t>A&amp;B &lt;x&gt; &#x4E2D;&#25991;</t></si>',
  '<si><t/></si>',
  '<si><t>330481199001011234</t></si>',
];

/** One sheet with every cell shape, rows 1–12 with gaps and empty rows. */
const SHAPES = [
  '<row r="1" spans="1:9"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>6</v></c><c r="D1" t="s"><v>7</v></c><c r="E1" t="s"><v>5</v></c></row>',
  '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="str"><v>0123</v></c><c r="D2" t="inlineStr"><is><t>李四</t></is></c><c r="E2" s="9" t="s"><v>8</v></c><c r="F2"><v>3000.5</v></c><c r="G2"><v>1E-3</v></c></row>',
  '<row r="3"/>',
  '<row r="4" spans="1:5" ht="20" customHeight="1"></row>',
  '<row r="5"><c r="A5" s="1"><v>45658</v></c><c r="B5" s="2"><v>45659</v></c><c r="C5" s="3"><v>45660.75</v></c><c r="D5" s="4"><v>12.5</v></c><c r="E5" s="5"><v>45661</v></c><c r="F5" s="6"><v>45662.5</v></c><c r="G5" s="7"><v>-3</v></c><c r="H5" s="8"><v>45663</v></c><c r="I5" s="1"/></row>',
  '<row r="6"><c r="A6"><f>1+1</f><v>2</v></c><c r="B6" t="str"><f>"全"&amp;"日制"</f><v>全日制</v></c><c r="C6"><f t="shared" ref="C6:C7" si="0">A6*2</f><v>4</v></c><c r="D6" s="1"><f>DATE(2025,1,1)</f><v>45658</v></c><c r="E6"><f>NOW()</f></c><c r="F6" t="b"><f>TRUE()</f><v>1</v></c></row>',
  '<row r="7"><c r="C7"><f t="shared" si="0"/><v>6</v></c><c r="D7" t="b"><v>1</v></c><c r="E7" t="b"><v>0</v></c><c r="F7" t="e"><v>#DIV/0!</v></c><c r="G7" s="3"/></row>',
  '<row r="10"><c r="A10" t="s"><v>1</v></c><c r="C10" t="s"><v>1</v></c><c r="Z10"><v>26</v></c><c r="AA10"><v>27</v></c></row>',
  '<row r="12"><c r="B12" t="inlineStr"><is><t xml:space="preserve">  缩进 </t></is></c></row>',
].join('');

/** WPS-style worksheet: sheetPr, dimension, views, cols, a validation whose prompt holds an unescaped ">" after the data, extLst. */
const WPS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData">` +
  '<sheetPr><tabColor rgb="FFFF0000"/></sheetPr><dimension ref="A1:C3"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection activeCell="B3" sqref="B3"/></sheetView></sheetViews>' +
  '<sheetFormatPr defaultColWidth="9" defaultRowHeight="13.5" outlineLevelCol="2"/><cols><col min="1" max="1" width="12.625" customWidth="1"/></cols>' +
  '<sheetData><row r="1" spans="1:3"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
  '<row r="2" spans="1:3"><c r="A2" t="s"><v>2</v></c><c r="B2" s="2"><v>45000</v></c><c r="C2" s="3"><v>44927</v></c></row>' +
  '<row r="3" spans="1:3"><c r="A3" t="s"><v>8</v></c><c r="B3" s="4"><v>3500</v></c></row></sheetData>' +
  '<dataValidations count="1"><dataValidation type="decimal" operator="greaterThan" allowBlank="1" showInputMessage="1" prompt="金额>0" sqref="B2:B3"><formula1>0</formula1></dataValidation></dataValidations>' +
  '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/><headerFooter/><extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="0"/></ext></extLst></worksheet>';

describe('generated shapes', () => {
  const sheets = (extra: RawSheet[] = []): RawSheet[] => [
    { name: '单位信息', xml: SHAPES },
    { name: '职工名册', xml: SHAPES },
    ...extra,
  ];

  test.each([
    ['shared and inline strings, rich text, numbers as text, date styles, formulas, empty rows', { sheets: sheets() }],
    ['the 1904 date system', { sheets: sheets(), date1904: true }],
    [
      'hidden, very hidden and extra sheets',
      {
        sheets: sheets([
          { name: '说明', xml: SHAPES, state: 'hidden' },
          { name: '隐藏', xml: SHAPES, state: 'veryHidden' },
          { name: 'Sheet3', xml: '' },
        ]),
      },
    ],
    [
      'worksheets stored before xl/workbook.xml (openpyxl order)',
      { sheets: sheets([{ name: '备注', xml: SHAPES }]), worksheetsFirst: true },
    ],
    [
      'WPS-style worksheet parts',
      {
        sheets: [
          { name: '单位信息', xml: WPS },
          { name: '职工名册', xml: WPS },
        ],
      },
    ],
  ] as [string, Parameters<typeof rawXlsx>[0]][])('%s', async (label, opts) => {
    const file = path(`shape-${label.length}-${Object.keys(opts).join('')}.xlsx`);
    writeFileSync(file, rawXlsx({ styles: STYLES, sharedStrings: SST, ...opts }));
    await same(file);
  });

  test('the values themselves: dates in both date systems, formulas, numbers as text', async () => {
    const f1900 = path('values-1900.xlsx'),
      f1904 = path('values-1904.xlsx');
    writeFileSync(f1900, rawXlsx({ styles: STYLES, sharedStrings: SST, sheets: sheets() }));
    writeFileSync(f1904, rawXlsx({ styles: STYLES, sharedStrings: SST, sheets: sheets(), date1904: true }));
    const a = (await rowsByReader(f1900))['职工名册'],
      b = (await rowsByReader(f1904))['职工名册'];
    const row = (rows: typeof a, n: number) => rows.find(([r]) => r === n)![1];
    expect(row(a, 1)).toEqual([null, '姓名', '欧阳修 ', 'A&B <x> 中文', null, ' 前后空格 ']);
    expect(row(a, 2)).toEqual([null, '3000', '0571', '0123', '李四', '330481199001011234', 3000.5, 0.001]);
    expect(row(a, 5).slice(1, 4)).toEqual([
      new Date('2025-01-01T00:00:00Z'),
      new Date('2025-01-02T00:00:00Z'),
      new Date('2025-01-03T18:00:00Z'),
    ]);
    expect(row(a, 5).slice(4)).toEqual([
      12.5,
      45661,
      new Date('2025-01-05T12:00:00Z'),
      -3,
      new Date('2025-01-06T00:00:00Z'),
    ]);
    expect(row(b, 5)[1]).toEqual(new Date('2029-01-02T00:00:00Z'));
    expect(row(a, 6)).toEqual([null, 2, '全日制', 4, 45658, null, 1]);
    expect(row(a, 7)).toEqual([null, null, null, 6, true, false]);
    expect(a.map(([r]) => r)).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 12]);
    expect(row(a, 3)).toEqual([]);
  });
});

describe('where the exceljs reader was wrong: expectations written here', () => {
  const read = async (name: string, zip: Buffer) => {
    writeFileSync(path(name), zip);
    return rowsByReader(path(name));
  };

  test('inline rich text keeps every run; phonetic guides are left out; a reference is expanded once', async () => {
    const rows = await read(
      'rich.xlsx',
      rawXlsx({
        sharedStrings: ['<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'],
        sheets: [
          {
            name: '职工名册',
            xml: '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>张</t></r><r><t>三丰</t></r></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>&amp;lt;全日制&amp;gt;</t></is></c></row>',
          },
        ],
      }),
    );
    expect(rows['职工名册']).toEqual([[1, [null, '张三丰', '東京', '&lt;全日制&gt;']]]);
  });

  test('prefixed element names, cells without references and a worksheet part not named sheetN.xml', async () => {
    const ws = `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="${NS}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>王五</x:t></x:is></x:c><x:c><x:v>7</x:v></x:c></x:row><x:row r="3"><x:c r="C3"><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>`;
    const zip = makeZip([
      {
        name: '[Content_Types].xml',
        data: Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      },
      {
        name: 'xl/workbook.xml',
        data: Buffer.from(
          `<x:workbook xmlns:x="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="true"/><x:sheets><x:sheet name="职工名册" sheetId="7" r:id="R1"/></x:sheets></x:workbook>`,
        ),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/roster.xml"/></Relationships>',
        ),
      },
      { name: 'xl/worksheets/roster.xml', data: Buffer.from(ws) },
    ]);
    const rows = await read('prefixed.xlsx', zip);
    expect(rows).toEqual({
      职工名册: [
        [1, [null, '王五', 7]],
        [3, [null, null, null, 1, 2]],
      ],
    });
  });
});
