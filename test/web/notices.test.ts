/**
 * Issue #5: the notice lifecycle (draft → preview → publish → correct), immutability through every route and
 * in the database, objections open and closed by date, public outputs (page, xlsx, csv, json, Atom) with no
 * personal data, and export injection.
 */
import request from 'supertest';
import { findNotice } from '../../db/stores/notices';
import { todayInChina } from '../../server/services/notices';
import { addDays } from '../../server/rules/calendar';
import { csrfFrom, decoded, download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';
import { acceptedEmployer, type Personal } from '../helpers/notices';

let t: TestApp;
let officer: Awaited<ReturnType<typeof login>>;
const personal: Personal = { names: [], ids: [], certs: [] };
const EVIL = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>';

beforeAll(async () => {
  t = await testApp();
  officer = await login(t.app, 'officer.pinghu');
  const add = (p: Personal) => { personal.names.push(...p.names); personal.ids.push(...p.ids); personal.certs.push(...p.certs); };
  add(await acceptedEmployer(t, { body: 'PH00001A', name: '平湖市甲机械有限公司', county: '平湖市', staff: 120, disabled: 1, officer: 'officer.pinghu' }));
  add(await acceptedEmployer(t, { body: 'PH00002B', name: '平湖市乙电子有限公司', county: '平湖市', staff: 40, disabled: 3, officer: 'officer.pinghu' }));
  add(await acceptedEmployer(t, { body: 'PH00003C', name: EVIL, county: '平湖市', staff: 60, disabled: 0, officer: 'officer.pinghu' }));
  add(await acceptedEmployer(t, { body: 'PH00004D', name: '平湖市第二中学', county: '平湖市', unitType: '事业单位', staff: 80, disabled: 0, officer: 'officer.pinghu' }));
}, 60_000);
afterAll(async () => { await t.close(); });

async function build(year = 2025, amountColumn = 'levy') {
  const res = await officer.agent.post('/bureau/notices/build').type('form').send({ _csrf: officer.csrf, year, amountColumn });
  expect(res.status).toBe(303);
  return Number(/\/bureau\/notices\/(\d+)$/.exec(res.headers.location)![1]);
}

async function publish(id: number, form: Record<string, string | number> = {}) {
  return officer.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: officer.csrf, docNo: '平残联〔2026〕5号', contact: '0573-85000000 平湖市残联就业科', periodStart: todayInChina(), days: 7, ...form });
}

const anon = () => request(t.app);

let first = 0;
let second = 0;

test('a draft is built from accepted submissions, previewed by the officer and invisible to the public', async () => {
  first = await build();
  const preview = await officer.agent.get(`/bureau/notices/${first}`);
  expect(preview.status).toBe(200);
  const text = decoded(preview.text);
  expect(text).toContain('平湖市2025年度用人单位按比例安排残疾人就业情况公示');
  expect(text).toContain('草稿预览');
  // J3.2: the public institution leads in section one, flagged for having no disabled employee
  expect(text.indexOf('平湖市第二中学')).toBeLessThan(text.indexOf('平湖市甲机械有限公司'));
  expect(text).toContain('未安排残疾人就业');
  expect((await anon().get(`/notices/${first}`)).status).toBe(404);
  expect((await anon().get(`/notices/${first}.xlsx`)).status).toBe(404);
  expect((await anon().get(`/notices/${first}.json`)).status).toBe(404);
  expect((await anon().get('/notices')).text).not.toContain(`/notices/${first}"`);
  expect((await anon().get('/notices/feed.atom')).text).not.toContain(`/notices/${first}<`);
  // another county's officer cannot see it
  const other = await login(t.app, 'officer.haiyan');
  expect((await other.agent.get(`/bureau/notices/${first}`)).status).toBe(404);
  expect((await other.agent.post(`/bureau/notices/${first}/publish`).type('form').send({ _csrf: other.csrf, docNo: 'x', contact: 'x', periodStart: todayInChina(), days: 7 })).status).toBe(404);
});

test('publishing needs a document number, a contact and a valid period; then the notice is public in every format', async () => {
  expect((await publish(first, { contact: '' })).status).toBe(422);
  expect((await publish(first, { docNo: '' })).status).toBe(422);
  expect((await publish(first, { days: 0 })).status).toBe(422);
  expect((await publish(first, { periodStart: '2026-13-01' })).status).toBe(422);
  const ok = await publish(first);
  expect(ok.status).toBe(303);
  const n = (await findNotice(t.db, first))!;
  expect(n).toMatchObject({ status: 'published', version: 1, period_start: todayInChina(), period_end: addDays(todayInChina(), 6), publisher: '平湖市残疾人就业服务机构' });

  const page = await anon().get(`/notices/${first}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('平湖市甲机械有限公司');
  expect(page.text).toContain('class="running-head"'); // the title repeats on every printed page
  expect(page.text).toContain('0573-85000000');
  const index = await anon().get('/notices?county=平湖市');
  expect(index.text).toContain(`/notices/${first}`);
  const feed = await anon().get('/notices/feed.atom');
  expect(feed.headers['content-type']).toMatch(/atom\+xml/);
  expect(feed.text).toContain(`/notices/${first}</id>`);
  const json = await anon().get(`/notices/${first}.json`);
  expect(json.body.sections[0].entries[0]).toMatchObject({ name: '平湖市第二中学', status: '未达标', flagNoDisabled: true });
  expect(json.body.sections[1].entries).toHaveLength(3);
  const xlsx = await download(anon(), `/notices/${first}.xlsx`);
  expect(xlsx.res.status).toBe(200);
  const wb = await loadWorkbook(xlsx.body);
  const ws = wb.worksheets[0];
  expect(ws.getCell('A1').value).toBe('平湖市2025年度用人单位按比例安排残疾人就业情况公示');
  expect(ws.getRow(4).values).toEqual(expect.arrayContaining(['序号', '单位名称', '统一社会信用代码', '应安排人数', '实际安排人数', '安排比例', '状态', '应缴保障金（元）']));
});

test('a published notice cannot be changed through any route, nor in the database', async () => {
  const before = JSON.stringify(await findNotice(t.db, first));
  expect((await publish(first, { docNo: '改过的文号' })).status).toBe(409);
  expect((await officer.agent.post(`/bureau/notices/${first}/rebuild`).type('form').send({ _csrf: officer.csrf, amountColumn: 'reward' })).status).toBe(409);
  expect((await officer.agent.post(`/bureau/notices/${first}/discard`).type('form').send({ _csrf: officer.csrf })).status).toBe(409);
  const admin = await login(t.app, 'admin');
  expect((await admin.agent.post(`/bureau/notices/${first}/publish`).type('form').send({ _csrf: admin.csrf, docNo: 'x', contact: 'x', periodStart: todayInChina(), days: 3 })).status).toBe(409);
  for (const m of ['put', 'patch', 'delete'] as const) expect((await officer.agent[m](`/bureau/notices/${first}`).set('x-csrf-token', officer.csrf)).status).toBe(404);
  await expect(t.db('notices').where({ id: first }).update({ title: 'tampered' })).rejects.toThrow(/immutable/);
  await expect(t.db('notices').where({ id: first }).del()).rejects.toThrow(/immutable/);
  expect(JSON.stringify(await findNotice(t.db, first))).toBe(before);
});

test('a correction is a new version that says what changed, links both ways, and both stay public', async () => {
  // a new employer is accepted after publication
  await acceptedEmployer(t, { body: 'PH00005E', name: '平湖市丙纺织有限公司', county: '平湖市', staff: 30, disabled: 2, officer: 'officer.pinghu' });
  second = await build();
  expect(second).not.toBe(first);
  const draft = (await findNotice(t.db, second))!;
  expect(draft.replaces_id).toBe(first);
  expect(draft.change!.added).toEqual([expect.objectContaining({ name: '平湖市丙纺织有限公司' })]);
  expect((await publish(second)).status).toBe(422); // a correction needs its note
  expect((await publish(second, { note: '补录平湖市丙纺织有限公司' })).status).toBe(303);
  expect((await findNotice(t.db, second))!.version).toBe(2);

  const newPage = decoded((await anon().get(`/notices/${second}`)).text);
  expect(newPage).toContain('更正说明');
  expect(newPage).toContain('新增：平湖市丙纺织有限公司');
  expect(newPage).toContain('补录平湖市丙纺织有限公司');
  expect(newPage).toContain(`href="/notices/${first}"`);
  const oldPage = await anon().get(`/notices/${first}`);
  expect(oldPage.status).toBe(200);
  expect(oldPage.text).toContain('本公示已被更正');
  expect(oldPage.text).toContain(`href="/notices/${second}"`);
  expect((await anon().get(`/notices/${first}.json`)).body.replacedById).toBe(second);
});

test('objections: open during the period, seen and answered by the officer, audited; closed outside it', async () => {
  // the replaced notice no longer takes objections; its correction does
  expect((await anon().get(`/notices/${first}/objection`)).text).toContain('异议受理已结束');
  const visitor = request.agent(t.app);
  const form = await visitor.get(`/notices/${second}/objection`);
  expect(form.status).toBe(200);
  const csrf = csrfFrom(form.text);
  const uscc = /<option value="([0-9A-Z]{18})"[^>]*>平湖市甲机械有限公司/.exec(form.text)![1];
  expect((await visitor.post(`/notices/${second}/objection`).type('form').send({ name: '王五', contact: '', uscc, reason: 'x' })).status).toBe(403); // no CSRF token
  expect((await visitor.post(`/notices/${second}/objection`).type('form').send({ _csrf: csrf, name: '王五', contact: '', uscc, reason: 'x' })).status).toBe(422);
  expect((await visitor.post(`/notices/${second}/objection`).type('form').send({ _csrf: csrf, name: '王五', contact: '13800000000', uscc: '91330482XXXXXXXXXX', reason: 'x' })).status).toBe(422);
  const ok = await visitor.post(`/notices/${second}/objection`).type('form').send({ _csrf: csrf, name: '王五', contact: '13800000000', uscc, reason: '该单位有一名残疾职工未计入<img src=x onerror=alert(1)>' });
  expect(ok.status).toBe(201);
  expect(ok.text).toContain('异议已收到');

  const page = await officer.agent.get(`/bureau/notices/${second}`);
  expect(page.text).toContain('该单位有一名残疾职工未计入&lt;img');
  expect(page.text).not.toContain('<img src=x');
  expect(page.text).toContain('王*'); // the objector's name is masked on screen
  const oid = Number(/objections\/(\d+)\/answer/.exec(page.text)![1]);
  expect((await officer.agent.post(`/bureau/notices/${second}/objections/${oid}/answer`).type('form').send({ _csrf: officer.csrf, answer: '' })).status).toBe(422);
  expect((await officer.agent.post(`/bureau/notices/${second}/objections/${oid}/answer`).type('form').send({ _csrf: officer.csrf, answer: '已核实，将更正。' })).status).toBe(303);
  expect((await officer.agent.post(`/bureau/notices/${second}/objections/${oid}/answer`).type('form').send({ _csrf: officer.csrf, answer: '再答' })).status).toBe(422);
  const actions = (await t.db('audit_log').select('action', 'detail_json')).map((r) => r.action);
  expect(actions).toEqual(expect.arrayContaining(['notice.draft-built', 'notice.published', 'objection.lodged', 'objection.answered']));
  const audit = JSON.stringify(await t.db('audit_log').select('*'));
  expect(audit).not.toContain('13800000000');
  expect(audit).not.toContain('王五');
});

test('objections before the period starts and after it ends are refused', async () => {
  await acceptedEmployer(t, { body: 'JA00001A', name: '嘉善县甲公司', county: '嘉善县', staff: 50, disabled: 1, officer: 'officer.jiashan' });
  const js = await login(t.app, 'officer.jiashan');
  const mk = async (year: number, start: string, days: number) => {
    const b = await js.agent.post('/bureau/notices/build').type('form').send({ _csrf: js.csrf, year, amountColumn: 'none' });
    const id = Number(/(\d+)$/.exec(b.headers.location)![1]);
    expect((await js.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: js.csrf, docNo: '嘉善残联〔2026〕1号', contact: '0573-1', periodStart: start, days })).status).toBe(303);
    return id;
  };
  const past = await mk(2025, addDays(todayInChina(), -10), 7); // ended 4 days ago
  const visitor = request.agent(t.app);
  const page = await visitor.get(`/notices/${past}/objection`);
  expect(page.text).toContain('异议受理已结束');
  expect(page.text).not.toContain('name="reason"');
  expect((await visitor.get(`/notices/${past}`)).text).toContain('公示期已结束');
  const csrf = csrfFrom((await visitor.get('/login')).text);
  const row = (await findNotice(t.db, past))!.body.sections[1].rows[0];
  expect((await visitor.post(`/notices/${past}/objection`).type('form').send({ _csrf: csrf, name: '甲', contact: '1', uscc: row.uscc, reason: 'r' })).status).toBe(409);
  // the last day of the period is still open (inclusive)
  const { objectionsOpen } = await import('../../server/services/notices');
  const n = (await findNotice(t.db, past))!;
  expect(objectionsOpen(n, n.period_end!, false)).toBe(true);
  expect(objectionsOpen(n, addDays(n.period_end!, 1), false)).toBe(false);
  expect(objectionsOpen(n, addDays(n.period_start!, -1), false)).toBe(false);
});

describe('public outputs carry no personal data and neutralise formulas', () => {
  const outputs = async () => {
    const wb = await loadWorkbook((await download(anon(), `/notices/${second}.xlsx`)).body);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
    return {
      html: (await anon().get(`/notices/${second}`)).text + (await anon().get(`/notices/${second}?lang=en`)).text + (await anon().get('/notices')).text,
      csv: (await anon().get(`/notices/${second}.csv`)).text,
      json: (await anon().get(`/notices/${second}.json`)).text,
      atom: (await anon().get('/notices/feed.atom')).text,
      xlsx: cells.join('\n'),
    };
  };

  test('no employee name, ID number or certificate number in any public format', async () => {
    expect(personal.names.length).toBeGreaterThan(300);
    expect(personal.ids.length).toBe(personal.names.length);
    expect(personal.certs.length).toBeGreaterThanOrEqual(4);
    const out = await outputs();
    for (const [format, text] of Object.entries(out)) {
      for (const v of [...personal.names, ...personal.ids, ...personal.certs]) {
        if (text.includes(v)) throw new Error(`${format} contains personal data ${v}`);
      }
      expect(text).not.toMatch(/\b\d{6}(19|20)\d{2}(0[1-9]|1[0-2])\d{5}[\dX]\b/); // no ID-shaped number at all
    }
  });

  test('an employer name with a formula and HTML is neutralised in xlsx/csv and escaped in HTML', async () => {
    const out = await outputs();
    expect(out.xlsx).toContain(`'${EVIL}`);
    expect(out.xlsx.split('\n').some((c) => c.startsWith('='))).toBe(false);
    expect(out.csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")<script>alert(1)</script>"`);
    expect(out.html).not.toContain('<script>alert(1)</script>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const bureau = await officer.agent.get(`/bureau/notices/${second}`);
    expect(bureau.text).not.toContain('<script>alert(1)</script>');
  });
});

test('an anonymous reader is served a cached page with an ETag; a logged-in reader a fresh, private one', async () => {
  const c = await testApp({ noticeCacheSeconds: 60 });
  try {
    await acceptedEmployer(c, { body: 'HY00001A', name: '海盐县缓存测试公司', county: '海盐县', staff: 40, disabled: 1, officer: 'officer.haiyan' });
    const hy = await login(c.app, 'officer.haiyan');
    const b = await hy.agent.post('/bureau/notices/build').type('form').send({ _csrf: hy.csrf, year: 2025, amountColumn: 'levy' });
    const id = Number(/(\d+)$/.exec(b.headers.location)![1]);
    await hy.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: hy.csrf, docNo: '1', contact: '1', periodStart: todayInChina(), days: 7 });
    const first = await request(c.app).get(`/notices/${id}`);
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined(); // reading creates no session
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"/);
    const again = await request(c.app).get(`/notices/${id}`);
    expect(again.text).toBe(first.text);
    expect((await request(c.app).get(`/notices/${id}`).set('If-None-Match', etag)).status).toBe(304);
    const gz = await request(c.app).get(`/notices/${id}`).set('Accept-Encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.text).toBe(first.text); // the same page, compressed
    const officerView = await hy.agent.get(`/notices/${id}`);
    expect(officerView.headers['cache-control']).toContain('private');
    expect(officerView.text).toContain('海盐县残联'); // the layout names who is logged in: never cached
  } finally {
    await c.close();
  }
});
