/**
 * `quota check --json --certificate-register FILE` (docs/rules.md §4.3): the certificates of a roster checked against a
 * register file — an expired, a cancelled and a re-graded certificate, and one not in the register — and, without
 * the option, the result saying that none was checked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { makeCert, makeId } from '../helpers/people';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'cli-certreg-'));
const ids = [1, 2, 3, 4].map((i) => makeId('1985-03-0' + i, 'M', '330481', 300 + i));

async function run(args: string[]) {
  let out = '',
    err = '';
  const code = await main(args, { out: (s) => void (out += s + '\n'), err: (s) => void (err += s), isTTY: false });
  return { code, out, err };
}

test('a roster against a register file, and without one', async () => {
  const file = join(dir, 'roster.xlsx');
  const staff = Array.from({ length: 96 }, (_, i) => ({
    name: `职工${i + 1}`,
    id_number: makeId('1990-01-01', 'F', '330481', i),
    hired: '2020-01-01',
    monthly_wage: 6000,
  }));
  const grades = [4, 4, 1, 4];
  const disabled = ids.map((id, i) => ({
    name: `残疾职工${i + 1}`,
    id_number: id,
    disability_cert: makeCert(id, 4, grades[i]),
    hired: '2020-01-01',
    monthly_wage: 6000,
  }));
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: employerRows({
        name: '嘉兴测试有限公司',
        uscc: '91330481MA2B3C4D01',
        county: '海宁市',
        unit_type: '企业',
        founded: '2010-01-01',
        year: 2025,
      }),
    },
    {
      name: '职工名册',
      rows: rosterRows(['name', 'id_number', 'disability_cert', 'hired', 'monthly_wage'], [...staff, ...disabled]),
    },
  ]);
  const register = join(dir, 'register.csv');
  writeFileSync(
    register,
    [
      '残疾人证号,残疾类别,残疾等级,发证日期,有效期至,状态,注销日期',
      `${ids[0]}44,4,4,2015-07-01,2025-09-30,正常,`,
      `${ids[1]}44,4,4,2015-01-01,,注销,2025-02-10`,
      `${ids[2]}42,4,2,2015-01-01,,正常,`,
    ].join('\n'),
  );

  const without = JSON.parse((await run(['check', file, '--json'])).out);
  expect(without.certificateRegister).toEqual({ checked: false, findings: [] });
  // E1 12 + E2 12 + E3 (grade 1: 2) 24 + E4 12 = 60 → 5
  expect(without.annual.avgWeighted).toBe(5);

  const r = await run(['check', file, '--json', '--certificate-register', register]);
  expect(r.code).toBe(0);
  const j = JSON.parse(r.out);
  // E1 expired after September: 9; E2 cancelled 10 February: January only, 1; E3 grade 2 still weighs 2: 24;
  // E4 not in the register, counted (I13): 12 → 46 / 12
  expect(j.annual.avgWeighted).toBeCloseTo(46 / 12, 4);
  expect(j.certificateRegister.findings).toEqual([
    { row: 98, name: '残疾职工1', finding: 'expired', from: '2025-10-01' },
    { row: 99, name: '残疾职工2', finding: 'cancelled', from: '2025-02-10' },
    { row: 100, name: '残疾职工3', finding: 'grade-differs', workbookGrade: 1, registerGrade: 2 },
    { row: 101, name: '残疾职工4', finding: 'not-in-register' },
  ]);
  expect(j.exclusions.map((x: { reason: string; months: number[] }) => [x.reason, x.months.length])).toEqual([
    ['certificate-expired', 3],
    ['certificate-cancelled', 11],
  ]);
  // the output keeps the fields it had: the months, the figures, the tax form
  expect(j.taxForm.col7).toBe(j.annual.avgWeighted);
});
