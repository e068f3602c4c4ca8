/**
 * Large rosters dense in Chinese text read back character for character: ≥ 20,000 rows,
 * a Chinese name, 用工形式 and department on every row; shared and inline strings; written by exceljs
 * and by a second producer (Debian's python3-openpyxl, and a hand-written inline-string package that,
 * like openpyxl, stores the worksheets before xl/workbook.xml). A multi-byte character split across
 * two inflated chunks must never become "�", and sheet names never go missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { EMPLOYEE_SHEET } from '../../server/ingest/columns';
import { RosterParser } from '../../server/ingest/employee-sheet';
import type { Cell } from '../../server/ingest/fields/result';
import { DEFAULT_LIMITS } from '../../server/ingest/limits';
import { ProblemList } from '../../server/ingest/problem';
import { readXlsx, type SheetSink } from '../../server/ingest/read-workbook';
import { shippedParameters } from '../../server/params/load-parameters';
import { makeId, makeUscc } from '../helpers/people';
import { writeWorkbook, type Rows } from '../helpers/workbook';

const N = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'cjk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const params = shippedParameters();

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国斌文宇浩凯健俊帆帅旭宁博鑫瑶琪欣怡晨曦嘉璐雯婷倩颖睿哲翔';
const FORMS = ['全日制', '非全日制', '劳务派遣', '季节性'];
const DEPTS = [
  '生产一车间',
  '生产二车间',
  '质量管理部',
  '财务部',
  '人力资源部',
  '销售与市场部',
  '仓储物流中心',
  '研发中心（嘉兴）',
];
const HEADER = ['姓名', '身份证号', '入职日期', '用工形式', '月工资（元）', '部门'];

/** Deterministic, so a failure names the same cell every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface Person {
  name: string;
  id: string;
  hired: string;
  form: string;
  wage: number;
  dept: string;
}

function people(): Person[] {
  const r = rng(13);
  const pick = (s: string) => s[Math.floor(r() * s.length)];
  return Array.from({ length: N }, (_, i) => {
    const birth = `${1970 + (i % 30)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    return {
      name: pick(SURNAMES) + pick(GIVEN) + (r() < 0.6 ? pick(GIVEN) : ''),
      id: makeId(birth, i % 2 ? 'M' : 'F', `33${1000 + Math.floor(i / 500)}`, i),
      hired: `${2010 + (i % 14)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      form: FORMS[i % 4],
      wage: 3000 + (i % 90) * 100,
      dept: DEPTS[i % DEPTS.length] + (i % 3 === 0 ? `·${pick(SURNAMES)}组` : ''),
    };
  });
}

const PEOPLE = people();
const EMPLOYER: [string, string | number | Date][] = [
  ['单位名称', '嘉兴市南湖区长水街道残疾人就业示范有限公司'],
  ['统一社会信用代码', makeUscc('MA2CJK01')],
  ['所在县（市、区）', '海宁市'],
  ['单位类型', '企业'],
  ['成立日期', new Date(Date.UTC(2008, 2, 1))],
  ['评估年度', 2025],
];

async function exceljsFile(name: string, sharedStrings: boolean): Promise<string> {
  const path = join(dir, name);
  const roster: Rows = [
    HEADER,
    ...PEOPLE.map((p) => [p.name, p.id, new Date(`${p.hired}T00:00:00Z`), p.form, p.wage, p.dept]),
  ];
  await writeWorkbook(
    path,
    [
      { name: '单位信息', rows: EMPLOYER },
      { name: EMPLOYEE_SHEET, rows: roster },
    ],
    { sharedStrings },
  );
  return path;
}

function pythonFile(name: string, mode: 'openpyxl' | 'inline'): string {
  const path = join(dir, name);
  const json = (v: unknown) => (v instanceof Date ? { date: v.toISOString().slice(0, 10) } : v);
  const spec = {
    sheets: [
      { name: '单位信息', rows: EMPLOYER.map((r) => r.map(json)) },
      {
        name: EMPLOYEE_SHEET,
        rows: [HEADER, ...PEOPLE.map((p) => [p.name, p.id, { date: p.hired }, p.form, p.wage, p.dept])],
      },
    ],
  };
  const specPath = join(dir, `${name}.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  execFileSync('/usr/bin/python3', [join(__dirname, '..', 'helpers', 'py-roster.py'), mode, specPath, path]);
  return path;
}

/** Every roster row as the reader hands it to the sheet parser. */
async function rosterCells(path: string): Promise<{ rows: Cell[][]; sheets: string[] }> {
  const problems = new ProblemList('zh');
  const rows: Cell[][] = [];
  class Recorder extends RosterParser {
    override push(cells: Cell[], row: number): void {
      rows[row - 1] = cells.slice(1);
      super.push(cells, row);
    }
  }
  const sink: SheetSink = {
    employerRows: [],
    roster: new Recorder(EMPLOYEE_SHEET, problems, '2026-01-15'),
    sheetsSeen: [],
    employerSheetSeen: false,
    rosterSheetSeen: false,
    totalRows: 0,
  };
  await readXlsx(path, sink, problems, DEFAULT_LIMITS);
  expect(problems.items.filter((p) => p.code.startsWith('file/'))).toEqual([]);
  return { rows, sheets: sink.sheetsSeen };
}

/** Each string cell compared with what was written; the list of differences must be empty. */
function differences(rows: Cell[][]): string[] {
  const diffs: string[] = [];
  expect(rows[0]).toEqual(HEADER);
  PEOPLE.forEach((p, i) => {
    const got = rows[i + 1] ?? [];
    const want = [p.name, p.id, p.form, p.dept];
    const have = [got[0], got[1], got[3], got[5]];
    want.forEach((w, k) => {
      if (have[k] !== w) diffs.push(`row ${i + 2}: ${JSON.stringify(have[k])} ≠ ${JSON.stringify(w)}`);
    });
    if (got[4] !== p.wage) diffs.push(`row ${i + 2}: wage ${String(got[4])} ≠ ${p.wage}`);
  });
  return diffs;
}

const producers: [string, () => Promise<string>][] = [
  ['exceljs, shared strings', () => exceljsFile('exceljs-shared.xlsx', true)],
  ['exceljs, inline strings', () => exceljsFile('exceljs-inline.xlsx', false)],
  ['openpyxl, shared strings, worksheets before workbook.xml', async () => pythonFile('openpyxl.xlsx', 'openpyxl')],
  ['zipfile by hand, inline strings, worksheets before workbook.xml', async () => pythonFile('inline.xlsx', 'inline')],
];

describe.each(producers)(`%s: ${N} rows of Chinese text`, (_label, make) => {
  let path = '';
  beforeAll(async () => {
    path = await make();
  }, 120_000);

  test('every cell the reader hands the sheet parser is the string or number written', async () => {
    const { rows, sheets } = await rosterCells(path);
    expect(sheets).toEqual(['单位信息', EMPLOYEE_SHEET]);
    expect(rows.length).toBe(N + 1);
    const diffs = differences(rows);
    expect({ count: diffs.length, first: diffs.slice(0, 5) }).toEqual({ count: 0, first: [] });
  });

  test('through ingest: no problem, every name and 用工形式 as written', async () => {
    const r = await ingestFile(path, { fileName: 'roster.xlsx', params, today: '2026-01-15' });
    const errors = r.problems.filter((p) => p.severity === 'error');
    expect({ count: errors.length, first: errors.slice(0, 5).map((p) => `${p.cell} ${p.message}`) }).toEqual({
      count: 0,
      first: [],
    });
    expect(r.employer?.name).toBe(EMPLOYER[0][1]);
    expect(r.employees).toHaveLength(N);
    const wrong = r.employees.filter(
      (e, i) => e.name !== PEOPLE[i].name || e.form !== PEOPLE[i].form || e.hired !== PEOPLE[i].hired,
    );
    expect(wrong.map((e) => `row ${e.row}: ${e.name} ${e.form} ${e.hired}`).slice(0, 5)).toEqual([]);
  });
});
