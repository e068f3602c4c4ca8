/** Bad files: one clear message each, exit 2 from the CLI, never a stack trace; hostile files stopped early. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { shippedParameters } from '../../server/params/load-parameters';
import { main } from '../../server/cli';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';
import { makeZip, XLSX_SKELETON } from '../helpers/zip';

const dir = mkdtempSync(join(tmpdir(), 'bad-'));
const params = shippedParameters();
const ingest = (path: string, fileName = 'f.xlsx', limits = {}) => ingestFile(path, { fileName, params, limits });
const file = (name: string, content: Buffer | string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function only(path: string, fileName?: string, limits = {}) {
  const r = await ingest(path, fileName, limits);
  expect(r.hasErrors).toBe(true);
  return r.problems.filter((p) => p.severity === 'error');
}

test('.xls and .et (OLE compound files) ask to save as .xlsx', async () => {
  const xls = file('old.xls', Buffer.concat([CFB, Buffer.alloc(512), Buffer.from('Workbook', 'utf16le')]));
  expect(await only(xls, 'old.xls')).toEqual([
    expect.objectContaining({ code: 'file/xls', message: expect.stringContaining('另存为” .xlsx') }),
  ]);
  const et = file('wps.et', Buffer.concat([CFB, Buffer.alloc(512)]));
  expect((await only(et, 'wps.et'))[0].code).toBe('file/xls');
});

test('an encrypted workbook (password to open) says so', async () => {
  const enc = file(
    'secret.xlsx',
    Buffer.concat([
      CFB,
      Buffer.alloc(512),
      Buffer.from('EncryptionInfo', 'utf16le'),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]),
  );
  expect((await only(enc))[0]).toMatchObject({ code: 'file/encrypted', message: expect.stringContaining('取消密码') });
  const zipEnc = file(
    'zipenc.xlsx',
    makeZip([...XLSX_SKELETON, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), encryptedFlag: true }]),
  );
  expect((await only(zipEnc))[0].code).toBe('file/encrypted');
});

test('a renamed non-zip file and a zip that is not a workbook', async () => {
  expect((await only(file('renamed.xlsx', 'PK? no, just text')))[0].code).toBe('file/not-xlsx');
  expect((await only(file('photos.xlsx', makeZip([{ name: 'a.jpg', data: Buffer.from('x') }]))))[0].code).toBe(
    'file/not-xlsx',
  );
  expect((await only(file('empty-file.xlsx', '')))[0].code).toBe('file/empty');
});

test('a zip bomb is refused from its central directory, before parsing', async () => {
  const bomb = file(
    'bomb.xlsx',
    makeZip([...XLSX_SKELETON, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20) }]),
  );
  const [p] = await only(bomb);
  expect(p.code).toBe('file/zip-bomb');
  expect(p.message).toMatch(/压缩比 \d+ 超过 250/);
  const declared = file(
    'declared.xlsx',
    makeZip([
      ...XLSX_SKELETON,
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), declaredSize: 0xfffffff0 },
    ]),
  );
  expect((await only(declared))[0]).toMatchObject({
    code: 'file/zip-bomb',
    message: expect.stringContaining('600.0 MB'),
  });
});

test('XML entity expansion inside a sheet is not expanded', async () => {
  const billion =
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>';
  const wbXml =
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="职工名册" sheetId="1" r:id="rId1"/></sheets></workbook>';
  const rels =
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
  const p = file(
    'xxe.xlsx',
    makeZip([
      XLSX_SKELETON[0],
      { name: 'xl/workbook.xml', data: Buffer.from(wbXml) },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(billion) },
    ]),
  );
  const r = await ingest(p);
  expect(r.hasErrors).toBe(true);
  expect(JSON.stringify(r.problems)).not.toContain('aaaaaaaaaaaaaaaaaaaa');
});

test('an empty workbook and a workbook missing a sheet', async () => {
  const empty = join(dir, 'empty.xlsx');
  await writeWorkbook(empty, [
    { name: '单位信息', rows: [] },
    { name: '职工名册', rows: [] },
  ]);
  expect(await only(empty)).toEqual([expect.objectContaining({ code: 'file/empty' })]);
  const noEmployer = join(dir, 'no-employer.xlsx');
  await writeWorkbook(noEmployer, [{ name: '职工名册', rows: rosterSheet(3, 0) }]);
  expect(await only(noEmployer)).toEqual([
    expect.objectContaining({
      code: 'sheet/missing',
      sheet: '单位信息',
      message: '缺少工作表“单位信息”。请使用模板，不要重命名或删除工作表',
    }),
  ]);
  const noRoster = join(dir, 'no-roster.xlsx');
  await writeWorkbook(noRoster, [
    { name: '单位信息', rows: employerSheet() },
    { name: 'Sheet3', rows: [['x']] },
  ]);
  // no sheet named 职工名册 and none with a roster's headers: the sheets that were found are named
  expect(await only(noRoster)).toEqual([
    expect.objectContaining({
      code: 'sheet/roster-not-found',
      message: expect.stringContaining('找到的工作表：“单位信息”、“Sheet3”'),
    }),
  ]);
});

test('file size and row limits name the limit', async () => {
  const big = join(dir, 'rows.xlsx');
  await writeWorkbook(big, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: rosterSheet(60, 0) },
  ]);
  expect((await only(big, 'rows.xlsx', { maxRows: 50 }))[0]).toMatchObject({
    code: 'file/too-many-rows',
    message: expect.stringContaining('50 行'),
  });
  expect((await only(big, 'rows.xlsx', { maxFileBytes: 1000 }))[0]).toMatchObject({
    code: 'file/too-large',
    message: expect.stringContaining('1000 B'),
  });
});

test('the CLI exits 2 with the message and no stack trace for each bad file', async () => {
  let out = '';
  const code = await main(['check', join(dir, 'old.xls')], {
    out: (s) => {
      out += s;
    },
    err: () => undefined,
    isTTY: false,
  });
  expect(code).toBe(2);
  expect(out).toContain('不支持 .xls / .et 格式');
  expect(out).not.toMatch(/\bat \w+ \(/);
});
