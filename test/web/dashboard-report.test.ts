/**
 * The dashboard's figures equal the sums of the submissions behind them (computed here
 * straight from the table rows), and the employer report (xlsx and printable page) carries the result.
 */
import { upsertEmployer } from '../../db/stores/employers';
import { findCheckByUpload } from '../../db/stores/checks';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { findEmployerByUscc } from '../../db/stores/employers';
import { join } from 'node:path';
import { decoded, download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const STATUSES = ['submitted', 'accepted', 'returned'] as const;
const QUOTA = ['short', 'met', 'exceeded', 'exempt'] as const;

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

async function seedSubmissions() {
  const check = await t.db('checks').first('id');
  const rand = rng(42);
  for (const [county, n] of [
    ['海宁市', 12],
    ['桐乡市', 7],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const id = await upsertEmployer(t.db, {
        uscc: `91330${county === '海宁市' ? '481' : '483'}DASH${String(i).padStart(4, '0')}X`,
        name: `${county}看板测试${i}`,
        county,
        unit_type: '企业',
      });
      for (const year of [2023, 2024, 2025]) {
        if (rand(5) === 0) continue; // some employers did not submit that year
        const versions = 1 + rand(3);
        for (let v = 1; v <= versions; v++) {
          await t.db('submissions').insert({
            employer_id: id,
            year,
            version: v,
            check_id: check.id,
            status: STATUSES[rand(3)],
            quota_status: QUOTA[rand(4)],
            avg_staff: 100,
            required: 1.5,
            avg_weighted: rand(4),
            levy_payable_fen: rand(5_000_000),
            reward_total_fen: rand(3) === 0 ? rand(2_000_000) : 0,
            vat_ceiling_fen: rand(4) === 0 ? rand(90_000_000) : 0,
            concentrated_months: 0,
            submitted_by: 1,
            submitted_at: new Date().toISOString(),
          });
        }
      }
    }
  }
  // concentrated months follow the VAT ceiling, as the engine's results do
  await t.db('submissions').where('vat_ceiling_fen', '>', 0).update({ concentrated_months: 6 });
}

/** The oracle: from raw rows, each employer's latest version per year, returned ones left out of the figures. */
async function expected(county: string | null, year: number) {
  const q = t.db('submissions as s').join('employers as e', 'e.id', 's.employer_id').select('s.*', 'e.county');
  if (county) q.where('e.county', county);
  const rows = (await q).map((r) => ({
    ...r,
    levy_payable_fen: Number(r.levy_payable_fen),
    reward_total_fen: Number(r.reward_total_fen),
    vat_ceiling_fen: Number(r.vat_ceiling_fen),
  }));
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows.filter((x) => x.year === year)) {
    const k = String(r.employer_id);
    if (!latest.has(k) || latest.get(k)!.version < r.version) latest.set(k, r);
  }
  const standing = [...latest.values()].filter((r) => r.status !== 'returned');
  const yuan = (fen: number) => `${(Math.round(fen / 10_000) / 100).toFixed(2)} 万元`; // bureau totals in 万元, two decimals, unit shown
  const employers = county
    ? Number((await t.db('employers').where({ county }).count('* as n').first())!.n)
    : Number((await t.db('employers').count('* as n').first())!.n);
  return {
    received: `${latest.size} / ${employers}`,
    levy: yuan(standing.reduce((a, r) => a + r.levy_payable_fen, 0)),
    reward: yuan(standing.reduce((a, r) => a + r.reward_total_fen, 0)),
    vat: `${standing.filter((r) => r.concentrated_months > 0).length} 家 · ${yuan(standing.reduce((a, r) => a + r.vat_ceiling_fen, 0))}`,
    statuses: Object.fromEntries(QUOTA.map((k) => [k, String(standing.filter((r) => r.quota_status === k).length)])),
  };
}

function shown(html: string) {
  const fig = (k: string) => new RegExp(`data-figure="${k}">([^<]*)<`).exec(html)![1];
  const statuses = Object.fromEntries(QUOTA.map((k) => [k, new RegExp(`data-status="${k}">(\\d+)<`).exec(html)![1]]));
  return { received: fig('received'), levy: fig('levy'), reward: fig('reward'), vat: fig('vat'), statuses };
}

test('the dashboard figures equal the sums of the latest submissions, per county and for the whole city', async () => {
  await seedSubmissions();
  const officer = await login(t.app, 'officer.haining');
  const admin = await login(t.app, 'admin');
  for (const year of [2023, 2024, 2025]) {
    const own = await officer.agent.get(`/bureau/dashboard?year=${year}&county=桐乡市`); // an officer's county is fixed
    expect(own.status).toBe(200);
    expect(shown(decoded(own.text))).toEqual(await expected('海宁市', year));
    expect(shown(decoded((await admin.agent.get(`/bureau/dashboard?year=${year}`)).text))).toEqual(
      await expected(null, year),
    );
    expect(shown(decoded((await admin.agent.get(`/bureau/dashboard?year=${year}&county=桐乡市`)).text))).toEqual(
      await expected('桐乡市', year),
    );
  }
  const page = (await admin.agent.get('/bureau/dashboard?year=2025')).text;
  // charts drawn on the server: ring, status, trend, the counties' rate and money; each but the ring also for a phone
  expect(page.match(/<svg [^>]*role="img"/g)!.length).toBe(9);
  expect(page.match(/<svg [^>]*class="chart-wide"/g)!.length).toBe(4);
  expect(page.match(/<svg [^>]*class="chart-narrow"/g)!.length).toBe(4);
  expect(page).toContain('<title id="chart-');
  expect(page).not.toMatch(/<script(?! src="\/static\/app.js")/); // no chart script
  const trendRows = [
    ...page.matchAll(/<tr><th scope="row">(20\d\d)<\/th><td>(\d+)<\/td><td class="num">([\d,.]+ 万元)<\/td>/g),
  ].map((m) => [m[1], m[3]]);
  for (const [year, levy] of trendRows) expect(levy).toBe((await expected(null, Number(year))).levy);
  expect(trendRows.map((r) => r[0])).toEqual(['2023', '2024', '2025']);
});

test('the employer report: xlsx (Chinese, or English on request) and a printable page, own results only', async () => {
  const a = await login(t.app, 'employer.a');
  const emp = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  const file = join(t.dataDir, 'a-report.xlsx');
  await writeRosterWorkbook(file, emp, 'short');
  const up = await a.agent.post('/employer/uploads').set('x-csrf-token', a.csrf).attach('file', file, 'a.xlsx');
  expect(up.status).toBe(303);
  const check = (await findCheckByUpload(t.db, /uploads\/([\w-]+)$/.exec(up.headers.location)![1]))!;
  const result = JSON.parse(check.result_json);

  const zh = await download(a.agent, `/employer/checks/${check.id}/report.xlsx`);
  expect(zh.res.status).toBe(200);
  expect(decodeURIComponent(zh.res.headers['content-disposition'])).toContain(
    '按比例就业报告-91330481MA2B3C4D01-2025.xlsx',
  );
  const wb = await loadWorkbook(zh.body);
  expect(wb.worksheets.map((w) => w.name)).toEqual([
    '摘要',
    '申报表填报',
    '月度',
    '计算说明',
    '奖励',
    '未计入人员',
    '招聘测算',
  ]);
  const summary = new Map<string, unknown>();
  wb.getWorksheet('摘要')!.eachRow((r) => summary.set(String(r.getCell(1).value), r.getCell(2).value));
  expect(summary.get('应缴残疾人就业保障金')).toBe(result.levy.payable);
  expect(summary.get('按比例安排残疾人就业情况')).toBe('未达标');
  expect(wb.getWorksheet('月度')!.rowCount).toBe(13);
  const explained = wb.getWorksheet('计算说明')!.getColumn(3).values.map(String);
  expect(
    explained.some((f) =>
      /^应缴残疾人就业保障金 = 差额人数 [\d.]+ 人 × 计征工资 [\d,.]+ 元 × [\d.]+ % = [\d,.]+ 元$/.test(f),
    ),
  ).toBe(true);
  expect(explained.join('\n')).not.toMatch(/\b[a-z]+\.[a-z][A-Za-z]+\b/);
  const excluded = wb.getWorksheet('未计入人员')!.getColumn(2).values.slice(2).map(String);
  expect(excluded.length).toBe(result.exclusions.length);
  for (const n of excluded) expect(n).toContain('*'); // masked

  const en = await loadWorkbook((await download(a.agent, `/employer/checks/${check.id}/report.xlsx?lang=en`)).body);
  expect(en.worksheets[0].name).toBe('Summary');

  const print = await a.agent.get(`/employer/checks/${check.id}/report?lang=zh`);
  expect(print.status).toBe(200);
  expect(print.text).toContain('按比例安排残疾人就业情况报告');
  expect(print.text).toContain(
    `data-figure="levy.payable">${result.levy.payable.toLocaleString('en-US', { minimumFractionDigits: 2 })}<`,
  );
  expect(print.text).toContain('data-print');

  const b = await login(t.app, 'employer.b');
  expect((await b.agent.get(`/employer/checks/${check.id}/report.xlsx`)).status).toBe(404);
  expect((await b.agent.get(`/employer/checks/${check.id}/report`)).status).toBe(404);
});
