/**
 * Hostile packages the central directory lies about: limits hold on the bytes
 * actually inflated, local entries the directory does not list (or lists differently) are refused,
 * and reading leaves no temporary file anywhere. Each file is generated here, cheaply: hundreds of MB
 * of XML cost a few hundred KB of repeated deflate blocks.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { inflateRawSync } from 'node:zlib';
import { ingestFile } from '../../server/ingest';
import { RosterParser } from '../../server/ingest/employee-sheet';
import { DEFAULT_LIMITS } from '../../server/ingest/limits';
import { ProblemList } from '../../server/ingest/problem';
import { readXlsx, type SheetSink } from '../../server/ingest/read-workbook';
import { shippedParameters } from '../../server/params/load-parameters';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';
import { lyingSharedStrings, rawXlsx, repeatedDeflate, type ZipEntry } from '../helpers/zip';

const SHEETS = [
  { name: '单位信息', xml: '<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c></row>' },
  { name: '职工名册', xml: '' },
];

const dir = mkdtempSync(join(tmpdir(), 'zip-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const params = shippedParameters();
const file = (name: string, content: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
async function refusal(path: string) {
  const r = await ingestFile(path, { fileName: 'x.xlsx', params });
  expect(r.hasErrors).toBe(true);
  expect(r.kind).toBe('refused');
  expect(r.problems).toHaveLength(1);
  return r.problems[0];
}

test('a part that declares 1,000 bytes and inflates to 400 MB is stopped after its first chunk (file/zip-bomb)', async () => {
  const { zip, realSize } = lyingSharedStrings(400);
  expect(realSize).toBeGreaterThan(400_000_000);
  const small = repeatedDeflate('<a>', '<r><t>a</t></r>', 3, '</a>');
  expect(inflateRawSync(small.deflated).length).toBe(small.size);
  expect(zip.length).toBeLessThan(3 * 1024 * 1024);
  const p = await refusal(file('lying.xlsx', zip));
  expect(p.code).toBe('file/zip-bomb');
  expect(p.message).toContain('超过上限 1000 B');
  // the size it names is what had been inflated when it stopped: one chunk, not hundreds of MB
  const [, amount, unit] = /解压后大小 ([\d.]+) (B|KB|MB)/.exec(p.message)!;
  expect(unit === 'MB' ? Number(amount) : 0).toBeLessThan(1);
});

test('the same part declared at its real size is refused from the central directory (ratio)', async () => {
  const bomb = repeatedDeflate('<sst>', '<r><t>a</t></r>', 50, '</sst>');
  const zip = rawXlsx({
    sheets: SHEETS,
    extra: [{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(0), deflated: bomb.deflated, declaredSize: bomb.size }],
  });
  expect((await refusal(file('honest.xlsx', zip))).code).toBe('file/zip-bomb');
});

test('the reader on its own (no file guard before it) stops at the total limit on the bytes it inflates', async () => {
  const path = join(dir, 'plain.xlsx');
  await writeWorkbook(path, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: rosterSheet(400, 10) },
  ]);
  const problems = new ProblemList('zh');
  const sink: SheetSink = {
    employerRows: [],
    roster: new RosterParser('职工名册', problems, '2026-01-15'),
    sheetsSeen: [],
    employerSheetSeen: false,
    rosterSheetSeen: false,
    totalRows: 0,
  };
  await readXlsx(path, sink, problems, { ...DEFAULT_LIMITS, maxUncompressedBytes: 60_000 });
  expect(problems.items.map((p) => p.code)).toEqual(['file/zip-bomb']);
  expect(problems.items[0].message).toContain('超过上限 58.6 KB');
});

test('a local entry the central directory does not list is refused (file/zip-mismatch)', async () => {
  const hidden: ZipEntry = { name: 'xl/worksheets/sheet9.xml', data: Buffer.from('<worksheet/>'), unlisted: true };
  const between = rawXlsx({
    sheets: SHEETS,
    extra: [hidden, { name: 'docProps/app.xml', data: Buffer.from('<Properties/>') }],
  });
  expect(await refusal(file('unlisted-between.xlsx', between))).toMatchObject({
    code: 'file/zip-mismatch',
    message: expect.stringContaining('出于安全考虑拒绝读取'),
  });
  const atEnd = rawXlsx({ sheets: SHEETS, extra: [hidden] });
  expect((await refusal(file('unlisted-end.xlsx', atEnd))).code).toBe('file/zip-mismatch');
});

test('a local header that disagrees with the central directory is refused', async () => {
  const bomb = repeatedDeflate('<sst>', '<r><t>a</t></r>', 5, '</sst>');
  const zip = rawXlsx({
    sheets: SHEETS,
    extra: [
      {
        name: 'xl/sharedStrings.xml',
        data: Buffer.alloc(0),
        deflated: bomb.deflated,
        declaredSize: 1000,
        localDeclaredSize: bomb.size,
      },
    ],
  });
  expect(await refusal(file('disagree.xlsx', zip))).toMatchObject({
    code: 'file/zip-mismatch',
    message: expect.stringContaining('xl/sharedStrings.xml'),
  });
});

test('reading writes no temporary file, even for a workbook whose worksheets come before xl/workbook.xml', async () => {
  const tmp = mkdtempSync(join(dir, 'tmp-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const zip = rawXlsx({
      sheets: [
        { name: '单位信息', xml: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' },
        { name: '职工名册', xml: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' },
      ],
      sharedStrings: ['<si><t>单位名称</t></si>'],
      worksheetsFirst: true,
    });
    const r = await ingestFile(file('first.xlsx', zip), { fileName: 'x.xlsx', params });
    expect(r.kind).toBe('xlsx');
    const lying = await ingestFile(file('lying-tmp.xlsx', lyingSharedStrings(50).zip), { fileName: 'x.xlsx', params });
    expect(lying.problems[0].code).toBe('file/zip-bomb');
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    process.env.TMPDIR = saved;
  }
});

test('the CLI refuses the lying workbook with exit 2 and the message, and writes no annotated copy', async () => {
  const path = file('cli-lying.xlsx', lyingSharedStrings(400).zip);
  let out = '';
  const marked = join(dir, 'marked.xlsx');
  const code = await main(['check', path, '--annotate', marked], {
    out: (s) => {
      out += s;
    },
    err: () => undefined,
    isTTY: false,
  });
  expect(code).toBe(2);
  expect(out).toContain('出于安全考虑拒绝读取');
  expect(() => statSync(marked)).toThrow();
  let json = '';
  expect(
    await main(['check', path, '--json'], {
      out: (s) => {
        json += s;
      },
      err: () => undefined,
      isTTY: false,
    }),
  ).toBe(2);
  expect(JSON.parse(json).problems[0].code).toBe('file/zip-bomb');
});
