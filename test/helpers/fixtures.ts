/**
 * The data every web test starts from, owned by the tests (not the demo, which may change for show):
 * an administrator, one bureau officer per county, employers A (海宁市, short of quota) and B (桐乡市,
 * concentrated employment) with logins, two employers that have not submitted; B's 2024 result accepted
 * and on a published 桐乡市 notice, its 2025 result submitted. Workbooks are generated, no binary fixtures.
 */
import ExcelJS from 'exceljs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { residentIdCheckChar } from '../../server/ingest/fields/resident-id';
import type { EmployerRow, Services } from '../../server/services';
import { hashPassword } from '../../server/services/passwords';
import { todayInChina } from '../../server/services/notices';
import { COUNTIES } from '../../server/rules/types';

export const FIXTURE_PASSWORD = 'demo1234';
const PINYIN: Record<string, string> = {
  南湖区: 'nanhu',
  秀洲区: 'xiuzhou',
  嘉善县: 'jiashan',
  海盐县: 'haiyan',
  海宁市: 'haining',
  平湖市: 'pinghu',
  桐乡市: 'tongxiang',
};

export async function seedFixtures(s: Services, dataDir: string): Promise<void> {
  if ((await s.accounts.count()) > 0) return;
  const uploads = s.uploads;
  const hash = await hashPassword(FIXTURE_PASSWORD);
  await s.accounts.create({
    username: 'admin',
    password_hash: hash,
    role: 'admin',
    employer_id: null,
    county: null,
    display_name: '市残联管理员',
  });
  for (const c of COUNTIES) {
    await s.accounts.create({
      username: `officer.${PINYIN[c]}`,
      password_hash: hash,
      role: 'officer',
      employer_id: null,
      county: c,
      display_name: `${c}残联`,
    });
  }
  const a = await s.employers.upsert({
    uscc: '91330481MA2B3C4D01',
    name: '嘉兴示例精密机械有限公司',
    county: '海宁市',
    unit_type: '企业',
  });
  const b = await s.employers.upsert({
    uscc: '91330483MA2B3C5E0L',
    name: '桐乡市福康服装有限公司',
    county: '桐乡市',
    unit_type: '企业',
  });
  await s.employers.upsert({
    uscc: '123304814700000017',
    name: '海宁市第一人民医院',
    county: '海宁市',
    unit_type: '事业单位',
  });
  await s.employers.upsert({
    uscc: '91330481MA2B3C6F0E',
    name: '海宁市皮革制品有限公司',
    county: '海宁市',
    unit_type: '企业',
  });
  await s.accounts.create({
    username: 'employer.a',
    password_hash: hash,
    role: 'employer',
    employer_id: a,
    county: null,
    display_name: '示例精密机械 人事部',
  });
  const ub = await s.accounts.create({
    username: 'employer.b',
    password_hash: hash,
    role: 'employer',
    employer_id: b,
    county: null,
    display_name: '福康服装 人事部',
  });

  // employer B's 2025 workbook is uploaded, checked and submitted, so the Tongxiang officer has one to review
  const dir = join(dataDir, 'fixtures');
  mkdirSync(dir, { recursive: true });
  const eb = (await s.employers.byId(b))!;
  // its 2024 result was accepted and is on the published 桐乡市 2024 notice, so the public pages show one
  const officer = (await s.accounts.byUsername('officer.tongxiang'))!;
  const file2024 = join(dir, 'fukang-2024.xlsx');
  await writeRosterWorkbook(file2024, eb, 'concentrated', 2024);
  const id2024 = await uploads.receive(
    { id: ub, username: 'employer.b' },
    eb,
    file2024,
    '福康服装2024年度职工名册.xlsx',
    0,
  );
  await uploads.process(id2024, eb);
  const check2024 = await s.checks.byUpload(id2024);
  if (check2024 && !check2024.has_problems) {
    const sub = await s.submissions.submit({ id: ub, username: 'employer.b' }, b, check2024.id, {
      rewardChoice: 'apply',
    });
    await s.submissions.review(officer, sub.id, 'accepted', null);
    const claim = await s.procedure.claimOfSubmission(sub.id);
    if (claim) await s.procedure.decideClaim(officer, claim.id, 'approve', {});
    const admin = (await s.accounts.byUsername('admin'))!;
    await s.countySettings.save(admin, '桐乡市', {
      issuingBody: '桐乡市残疾人联合会',
      contactPerson: '就业服务科 王老师',
      telephone: '0573-88000000',
      address: '桐乡市庆丰中路1号',
      officeHours: '工作日 8:30–11:30，13:30–17:00',
    });
    const notice = await s.notices.buildDraft(officer, '桐乡市', 2024);
    await s.notices.publish(officer, notice, {
      docNo: '桐残联〔2026〕3号',
      periodStart: todayInChina(),
      days: 7,
      note: '',
    });
  }
  const file = join(dir, 'fukang-2025.xlsx');
  await writeRosterWorkbook(file, eb, 'concentrated');
  const id = await uploads.receive({ id: ub, username: 'employer.b' }, eb, file, '福康服装2025年度职工名册.xlsx', 0);
  await uploads.process(id, eb);
  const check = await s.checks.byUpload(id);
  if (check && !check.has_problems)
    await s.submissions.submit({ id: ub, username: 'employer.b' }, b, check.id, { rewardChoice: 'apply' });
  await writeRosterWorkbook(join(dir, 'jingmi-2025.xlsx'), (await s.employers.byId(a))!, 'short');
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强玉兰海燕';

function person(i: number, area: string): { name: string; id: string } {
  const name =
    SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 ? GIVEN[(i * 11) % GIVEN.length] : '');
  const birth = `${1980 + (i % 20)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 27) + 1).padStart(2, '0')}`;
  const first17 = `${area}${birth}${String(100 + (i % 800)).padStart(3, '0')}`;
  return { name, id: first17 + residentIdCheckChar(first17) };
}

export async function writeRosterWorkbook(
  path: string,
  employer: Pick<EmployerRow, 'name' | 'uscc' | 'county' | 'unit_type'>,
  kind: 'short' | 'concentrated',
  year = 2025,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const emp = wb.addWorksheet('单位信息');
  const rows: [string, unknown][] = [
    ['单位名称', employer.name],
    ['统一社会信用代码', employer.uscc],
    ['所在县（市、区）', employer.county],
    ['单位类型', employer.unit_type],
    ['成立日期', new Date(Date.UTC(2012, 3, 1))],
    ['评估年度', year],
    ['享受集中安置税收优惠', kind === 'concentrated' ? '是' : '否'],
  ];
  emp.addRows(rows);
  const ros = wb.addWorksheet('职工名册');
  ros.addRow([
    '姓名',
    '身份证号',
    '残疾人证号',
    '入职日期',
    '离职日期',
    '合同结束',
    '用工形式',
    '社保缴纳月份',
    '月工资（元）',
  ]);
  const staff = kind === 'short' ? 120 : 40;
  const disabled = kind === 'short' ? 1 : 12;
  const area = kind === 'short' ? '330481' : '330483';
  for (let i = 0; i < staff; i++) {
    const p = person(i, area);
    const isDisabled = i < disabled;
    const cert = isDisabled ? `${p.id}${(i % 7) + 1}${i === 0 && kind === 'concentrated' ? 2 : 4}` : null;
    ros.addRow([
      p.name,
      p.id,
      cert,
      new Date(Date.UTC(2016 + (i % 8), i % 12, 1)),
      null,
      null,
      '全日制',
      '1-12',
      kind === 'short' ? 5200 + (i % 30) * 150 : 3600 + (i % 10) * 80,
    ]);
  }
  if (kind === 'short') {
    // one disabled employee on a short contract: shown as an exclusion with its reason
    const p = person(500, area);
    ros.addRow([
      p.name,
      p.id,
      `${p.id}43`,
      new Date(Date.UTC(year, 2, 1)),
      null,
      new Date(Date.UTC(year, 7, 31)),
      '全日制',
      '3-8',
      5000,
    ]);
  }
  await wb.xlsx.writeFile(path);
}
