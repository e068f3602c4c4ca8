/** Employers with uploaded, submitted and accepted results for notice tests: rosters full of personal data. */
import { join } from 'node:path';
import { findCheckByUpload } from '../../db/stores/checks';
import { findEmployerById, upsertEmployer } from '../../db/stores/employers';
import { findUserByUsername } from '../../db/stores/users';
import { reviewDecision, submitCheck } from '../../server/services/submissions';
import type { TestApp } from './app';
import { employerSheet } from './demo-workbooks';
import { makeCert, makeId, makeUscc } from './people';
import { rosterRows, writeWorkbook } from './workbook';

export interface Personal {
  names: string[];
  ids: string[];
  certs: string[];
}

/** Uploads a roster for a new employer in `county`, submits it and has the officer accept it. Returns the personal data it held. */
export async function acceptedEmployer(
  t: TestApp,
  opts: {
    body: string;
    name: string;
    county: string;
    unitType?: string;
    staff: number;
    disabled: number;
    officer: string;
    /** the data year (2025 unless given) */
    year?: number;
  },
): Promise<Personal & { uscc: string }> {
  const uscc = makeUscc(opts.body);
  const id = await upsertEmployer(t.db, {
    uscc,
    name: opts.name,
    county: opts.county,
    unit_type: opts.unitType ?? '企业',
  });
  const employer = (await findEmployerById(t.db, id))!;
  const personal: Personal = { names: [], ids: [], certs: [] };
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < opts.staff + opts.disabled; i++) {
    const disabled = i >= opts.staff;
    const pid = makeId(disabled ? '1980-03-03' : '1990-07-07', i % 2 ? 'M' : 'F', '330411', 300 + i);
    const name = `${disabled ? '欧阳' : '司马'}${opts.body.slice(-3)}${i}`;
    personal.names.push(name);
    personal.ids.push(pid);
    const row: Record<string, unknown> = { 姓名: name, 身份证号: pid, 入职日期: '2019-01-01', '月工资（元）': 5800 };
    if (disabled) {
      row.残疾人证号 = makeCert(pid, 2, 3);
      personal.certs.push(row.残疾人证号 as string);
    }
    rows.push(row);
  }
  const roster = rosterRows(['姓名', '身份证号', '残疾人证号', '入职日期', '月工资（元）'], rows);
  const file = join(t.dataDir, `${uscc}.xlsx`);
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: employerSheet({
        单位名称: opts.name,
        统一社会信用代码: uscc,
        '所在县（市、区）': opts.county,
        单位类型: opts.unitType ?? '企业',
        评估年度: opts.year ?? 2025,
      }),
    },
    { name: '职工名册', rows: roster },
  ]);
  const up = await t.services.uploads.receive({ id: 1, username: 'test' }, employer, file, 'roster.xlsx', 1);
  await t.services.uploads.process(up, employer);
  const check = (await findCheckByUpload(t.db, up))!;
  if (check.has_problems) throw new Error(`roster for ${opts.name} has problems: ${check.result_json.slice(0, 400)}`);
  const sub = await submitCheck(t.db, { id: 1, username: 'test' }, id, check.id, { rewardChoice: 'apply' });
  const officer = (await findUserByUsername(t.db, opts.officer))!;
  await reviewDecision(t.db, officer, sub.id, 'accepted', null);
  return { ...personal, uscc };
}

/** The county's notice settings as an administrator would enter them (publishing needs them). */
export async function setIssuer(
  t: Pick<TestApp, 'db'>,
  county: string,
  over: Record<string, string> = {},
): Promise<void> {
  const { saveCountySettings } = await import('../../server/services/county-settings');
  const problems = await saveCountySettings(t.db, { id: 1, username: 'admin' }, county, {
    issuingBody: `${county}残疾人联合会`,
    contactPerson: '就业服务科 张老师',
    telephone: '0573-85000000',
    address: `${county}人民路1号残联大楼3楼`,
    officeHours: '工作日 8:30–11:30，13:30–17:00',
    ...over,
  });
  if (problems.length) throw new Error(`county settings refused: ${JSON.stringify(problems)}`);
}
