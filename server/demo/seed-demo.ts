/**
 * Demo data for `npm start` on an empty database: an administrator, one bureau officer per county, two
 * employers with logins and rosters (one short of quota, one concentrated-employment unit, whose result
 * 2025 result is already submitted and whose 2024 result is on a published 桐乡市 notice), and a few more
 * employers that have not submitted. Idempotent: does nothing when
 * users exist.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../services';
import { DEMO_PASSWORD, hashPassword } from '../services/passwords';
import { todayInChina } from '../services/notices';
import { COUNTIES } from '../rules/types';
import { writeDemoWorkbook } from './workbooks';
import { usccCheckChar } from '../ingest/fields/uscc';

export { DEMO_PASSWORD };
const PINYIN: Record<string, string> = {
  南湖区: 'nanhu',
  秀洲区: 'xiuzhou',
  嘉善县: 'jiashan',
  海盐县: 'haiyan',
  海宁市: 'haining',
  平湖市: 'pinghu',
  桐乡市: 'tongxiang',
};

export interface DemoLogin {
  username: string;
  role: string;
  scope: string;
}

export async function seedDemo(s: Services, dataDir: string): Promise<DemoLogin[] | null> {
  if ((await s.accounts.count()) > 0) return null;
  const uploads = s.uploads;
  const hash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  await s.accounts.create({
    username: 'admin',
    password_hash: hash,
    role: 'admin',
    employer_id: null,
    county: null,
    display_name: '市残联管理员',
  });
  logins.push({ username: 'admin', role: '管理员 administrator', scope: '全市 whole city' });
  for (const c of COUNTIES) {
    await s.accounts.create({
      username: `officer.${PINYIN[c]}`,
      password_hash: hash,
      role: 'officer',
      employer_id: null,
      county: c,
      display_name: `${c}残联`,
    });
    logins.push({ username: `officer.${PINYIN[c]}`, role: '残联经办 bureau officer', scope: c });
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
  const hospital = await s.employers.upsert({
    uscc: '123304834700000027',
    name: '桐乡市示例人民医院',
    county: '桐乡市',
    unit_type: '事业单位',
  });
  // the data year's register of units for the two demo counties: the demo employers and a few more that
  // have neither an account nor a filing, so the missing list and the activation letters have something to show
  const registrar = (await s.accounts.byUsername('admin'))!;
  const dataYear = Number(todayInChina().slice(0, 4)) - 1;
  const more: [string, string, string, string][] = [
    ['91330481', 'DEMQ0001', '海宁市经编纺织有限公司', '海宁市'],
    ['91330481', 'DEMQ0002', '海宁市光电科技有限公司', '海宁市'],
    ['91330483', 'DEMQ0003', '桐乡市羊毛衫制衣有限公司', '桐乡市'],
    ['91330483', 'DEMQ0004', '桐乡市化纤新材料有限公司', '桐乡市'],
  ];
  const demoEmployers = (await Promise.all(['海宁市', '桐乡市'].map((c) => s.employers.inCounty(c)))).flat();
  for (const e of demoEmployers)
    await s.register.addUnit(registrar, dataYear, {
      uscc: e.uscc,
      name: e.name,
      county: e.county,
      unit_type: e.unit_type,
      contact_name: null,
      contact_phone: null,
    });
  for (const [prefix, body, name, county] of more) {
    const first17 = (prefix + body).padEnd(17, '0').slice(0, 17);
    await s.register.addUnit(registrar, dataYear, {
      uscc: first17 + usccCheckChar(first17),
      name,
      county,
      unit_type: '企业',
      contact_name: '人事部',
      contact_phone: '0573-00000000',
    });
  }
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
  logins.push({
    username: 'employer.a',
    role: '用人单位 employer',
    scope: '嘉兴示例精密机械有限公司（海宁市，未达标 short of quota）',
  });
  logins.push({
    username: 'employer.b',
    role: '用人单位 employer',
    scope: '桐乡市福康服装有限公司（桐乡市，集中就业 concentrated；2024 公示 published at /notices）',
  });

  // employer B's 2025 workbook is uploaded, checked and submitted, so the Tongxiang officer has one to review
  const dir = join(dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const eb = (await s.employers.byId(b))!;
  // its 2024 result was accepted and is on the published 桐乡市 2024 notice, so the public pages show one
  const officer = (await s.accounts.byUsername('officer.tongxiang'))!;
  // the demo county's notice settings, marked as demo data: an administrator replaces them with the real ones
  const admin = (await s.accounts.byUsername('admin'))!;
  await s.countySettings.save(admin, '桐乡市', {
    issuingBody: '桐乡市残疾人联合会（演示数据）',
    contactPerson: '演示联系人',
    telephone: '0573-00000000',
    address: '演示地址（请管理员在系统设置中填写真实地址）',
    officeHours: '工作日 8:30–11:30，13:30–17:00（演示数据）',
  });
  // a public institution short of the quota is on the same notice, so it shows the levy list, the reward list and the aggregate
  const eh = (await s.employers.byId(hospital))!;
  const fileH = join(dir, 'hospital-2024.xlsx');
  await writeDemoWorkbook(fileH, eh, 'short', 2024);
  const idH = await uploads.receive(
    { id: admin.id, username: 'admin' },
    eh,
    fileH,
    '示例人民医院2024年度职工名册.xlsx',
    0,
  );
  await uploads.process(idH, eh);
  const checkH = await s.checks.byUpload(idH);
  if (checkH && !checkH.has_problems) {
    const sub = await s.submissions.submit({ id: admin.id, username: 'admin' }, hospital, checkH.id);
    await s.submissions.review(officer, sub.id, 'accepted', null);
    const claim = await s.procedure.claimOfSubmission(sub.id);
    if (claim) await s.procedure.decideClaim(officer, claim.id, 'approve', {});
  }
  const file2024 = join(dir, 'fukang-2024.xlsx');
  await writeDemoWorkbook(file2024, eb, 'concentrated', 2024);
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
    const notice = await s.notices.buildDraft(officer, '桐乡市', 2024);
    await s.notices.publish(officer, notice, {
      docNo: '桐残联〔2026〕3号（演示）',
      periodStart: todayInChina(),
      days: 7,
      note: '',
    });
  }
  const file = join(dir, 'fukang-2025.xlsx');
  await writeDemoWorkbook(file, eb, 'concentrated');
  const id = await uploads.receive({ id: ub, username: 'employer.b' }, eb, file, '福康服装2025年度职工名册.xlsx', 0);
  await uploads.process(id, eb);
  const check = await s.checks.byUpload(id);
  if (check && !check.has_problems)
    await s.submissions.submit({ id: ub, username: 'employer.b' }, b, check.id, { rewardChoice: 'apply' });
  await writeDemoWorkbook(join(dir, 'jingmi-2025.xlsx'), (await s.employers.byId(a))!, 'short');
  return logins;
}
