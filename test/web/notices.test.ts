/**
 * The notice lifecycle (draft → preview → publish → correct), immutability through every route and
 * in the database, objections open and closed by date, public outputs (page, xlsx, csv, json, Atom) with no
 * personal data, and export injection.
 */
import request from 'supertest';
import { findNotice } from '../../db/stores/notices';
import { todayInChina, publishNotice } from '../../server/services/notices';
import { addDays } from '../../server/rules/calendar';
import { csrfFrom, decoded, download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';
import { acceptedEmployer, setIssuer, type Personal } from '../helpers/notices';

let t: TestApp;
let officer: Awaited<ReturnType<typeof login>>;
const personal: Personal = { names: [], ids: [], certs: [] };
const EVIL = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>';

beforeAll(async () => {
  t = await testApp();
  officer = await login(t.app, 'officer.pinghu');
  const add = (p: Personal) => {
    personal.names.push(...p.names);
    personal.ids.push(...p.ids);
    personal.certs.push(...p.certs);
  };
  add(
    await acceptedEmployer(t, {
      body: 'PH00001A',
      name: '平湖市甲机械有限公司',
      county: '平湖市',
      staff: 120,
      disabled: 1,
      officer: 'officer.pinghu',
    }),
  );
  add(
    await acceptedEmployer(t, {
      body: 'PH00002B',
      name: '平湖市乙电子有限公司',
      county: '平湖市',
      staff: 40,
      disabled: 3,
      officer: 'officer.pinghu',
    }),
  );
  add(
    await acceptedEmployer(t, {
      body: 'PH00003C',
      name: EVIL,
      county: '平湖市',
      staff: 60,
      disabled: 0,
      officer: 'officer.pinghu',
    }),
  );
  add(
    await acceptedEmployer(t, {
      body: 'PH00004D',
      name: '平湖市第二中学',
      county: '平湖市',
      unitType: '事业单位',
      staff: 80,
      disabled: 0,
      officer: 'officer.pinghu',
    }),
  );
}, 60_000);
afterAll(async () => {
  await t.close();
});

async function build(year = 2025) {
  const res = await officer.agent
    .post('/bureau/notices/build')
    .type('form')
    .send({ _csrf: officer.csrf, year, confirm: '1' });
  expect(res.status).toBe(303);
  return Number(/\/bureau\/notices\/(\d+)$/.exec(res.headers.location)![1]);
}

/** Sets the draft's document number and period as the officer does on the preview page, then publishes after confirming. */
async function publish(id: number, form: Record<string, string | number> = {}) {
  const d = await officer.agent
    .post(`/bureau/notices/${id}/details`)
    .type('form')
    .send({ _csrf: officer.csrf, docNo: '平残联〔2026〕5号', periodStart: todayInChina(), days: 7, ...form });
  if (d.status !== 303) return d;
  return officer.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: officer.csrf, confirm: '1' });
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
  expect(text).toContain('尚未公开');
  expect(text).toContain('下方即为发布后公众看到的页面');
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
  expect(
    (
      await other.agent
        .post(`/bureau/notices/${first}/publish`)
        .type('form')
        .send({ _csrf: other.csrf, docNo: 'x', contact: 'x', periodStart: todayInChina(), days: 7 })
    ).status,
  ).toBe(404);
});

test('publishing needs the county settings, a document number, a valid period and a confirmation; then the notice is public in every format', async () => {
  // no issuing body or objection contact is invented: until the administrator sets them, nothing is published
  const refused = await publish(first);
  expect(refused.status).toBe(422);
  expect(decoded(refused.text)).toContain('系统设置');
  expect(decoded((await officer.agent.get(`/bureau/notices/${first}`)).text)).toContain('【发布单位（落款）未设置】');
  await setIssuer(t, '平湖市');
  expect((await publish(first, { docNo: '' })).status).toBe(422);
  expect((await publish(first, { days: 0 })).status).toBe(422);
  expect((await publish(first, { periodStart: '2026-13-01' })).status).toBe(422);
  // the first post only asks: the notice stays a draft until the officer confirms
  await officer.agent
    .post(`/bureau/notices/${first}/details`)
    .type('form')
    .send({ _csrf: officer.csrf, docNo: '平残联〔2026〕5号', periodStart: todayInChina(), days: 7 });
  const ask = await officer.agent.post(`/bureau/notices/${first}/publish`).type('form').send({ _csrf: officer.csrf });
  expect(ask.status).toBe(200);
  expect(decoded(ask.text)).toContain('确认发布');
  expect((await findNotice(t.db, first))!.status).toBe('draft');
  const ok = await publish(first);
  expect(ok.status).toBe(303);
  const n = (await findNotice(t.db, first))!;
  expect(n).toMatchObject({
    status: 'published',
    version: 1,
    period_start: todayInChina(),
    period_end: addDays(todayInChina(), 6),
    publisher: '平湖市残疾人联合会',
    telephone: '0573-85000000',
  });

  const page = await anon().get(`/notices/${first}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('平湖市甲机械有限公司');
  expect(page.text).toContain('class="running-head"'); // the title repeats on every printed page
  expect(page.text).toContain('0573-85000000');
  const text = decoded(page.text);
  for (const part of [
    '平残联〔2026〕5号',
    '《嘉兴市人民政府关于加快推进残疾人全面小康进程的实施办法》（嘉政发〔2016〕46号）',
    '2025年度',
    '公示时间：',
    '（共7天）',
    '联系人：就业服务科',
    '地址：平湖市',
    '受理时间：',
    '特此公示。',
    '超比例安排残疾人就业奖励',
    '按单位类型汇总',
  ])
    expect(text).toContain(part);
  expect(text).not.toMatch(/第\s*1\s*版|更正/); // a first publication carries no edition mark
  const index = await anon().get('/notices?county=平湖市');
  expect(index.text).toContain(`/notices/${first}`);
  const feed = await anon().get('/notices/feed.atom');
  expect(feed.headers['content-type']).toMatch(/atom\+xml/);
  expect(feed.text).toContain(`/notices/${first}</id>`);
  const json = await anon().get(`/notices/${first}.json`);
  expect(json.body.sections[0].entries[0]).toMatchObject({
    name: '平湖市第二中学',
    status: '未达标',
    flagNoDisabled: true,
  });
  expect(json.body.sections[1].entries).toHaveLength(3);
  expect(json.body.aggregate.total.units).toBe(4);
  const xlsx = await download(anon(), `/notices/${first}.xlsx`);
  expect(xlsx.res.status).toBe(200);
  const wb = await loadWorkbook(xlsx.body);
  const ws = wb.worksheets[0];
  expect(ws.getCell('A1').value).toBe('平湖市2025年度用人单位按比例安排残疾人就业情况公示');
  // the workbook is the page: the same parts in the same order, the same figures
  const lines: string[] = [];
  ws.eachRow((r) => {
    const vals = (r.values as unknown[]).filter((v) => v !== null && v !== undefined).map(String);
    lines.push(vals.every((v) => v === vals[0]) ? vals[0] : vals.join('|')); // a merged line reads as its one text
  });
  const at = (s: string) => lines.findIndex((l) => l.includes(s));
  expect(lines[1]).toBe('平残联〔2026〕5号');
  const order = [
    '嘉政发〔2016〕46号',
    '一、按单位类型汇总',
    '二、用人单位按比例安排残疾人就业情况',
    '序号|单位名称|统一社会信用代码',
    '三、超比例安排残疾人就业奖励',
    '公示时间：',
    '联系人：',
    '特此公示。',
    '平湖市残疾人联合会',
  ].map(at);
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(lines.find((l) => l.startsWith('序号|单位名称'))).toBe(
    '序号|单位名称|统一社会信用代码|单位类型|在职职工年平均人数|应安排人数|实际安排人数|安排比例|状态|应缴保障金（元）|备注',
  );
  for (const line of lines) expect(line).not.toMatch(/T\d{2}:\d{2}|UTC/);
});

test('a published notice cannot be changed through any route, nor in the database', async () => {
  const before = JSON.stringify(await findNotice(t.db, first));
  expect((await publish(first, { docNo: '改过的文号' })).status).toBe(409);
  expect(
    (
      await officer.agent
        .post(`/bureau/notices/${first}/rebuild`)
        .type('form')
        .send({ _csrf: officer.csrf, amountColumn: 'reward' })
    ).status,
  ).toBe(409);
  expect(
    (await officer.agent.post(`/bureau/notices/${first}/discard`).type('form').send({ _csrf: officer.csrf })).status,
  ).toBe(409);
  const admin = await login(t.app, 'admin');
  expect(
    (
      await admin.agent
        .post(`/bureau/notices/${first}/publish`)
        .type('form')
        .send({ _csrf: admin.csrf, docNo: 'x', contact: 'x', periodStart: todayInChina(), days: 3 })
    ).status,
  ).toBe(409);
  for (const m of ['put', 'patch', 'delete'] as const)
    expect((await officer.agent[m](`/bureau/notices/${first}`).set('x-csrf-token', officer.csrf)).status).toBe(404);
  await expect(t.db('notices').where({ id: first }).update({ title: 'tampered' })).rejects.toThrow(/immutable/);
  await expect(t.db('notices').where({ id: first }).del()).rejects.toThrow(/immutable/);
  expect(JSON.stringify(await findNotice(t.db, first))).toBe(before);
});

test('a correction is a new version that says what changed, links both ways, and both stay public', async () => {
  // "发布更正" on the published notice starts a correction prefilled from it (but for the document number: a
  // correction is a new document); while nothing changed it cannot be published
  const corr = await officer.agent.post(`/bureau/notices/${first}/correct`).type('form').send({ _csrf: officer.csrf });
  expect(corr.status).toBe(303);
  second = Number(/(\d+)$/.exec(corr.headers.location)![1]);
  expect(second).not.toBe(first);
  expect((await findNotice(t.db, second))!).toMatchObject({ replaces_id: first, doc_no: null, status: 'draft' });
  const draftPage = decoded((await officer.agent.get(`/bureau/notices/${second}`)).text);
  expect(draftPage).toMatch(/<input id="p-doc" name="docNo" maxlength="100" value=""/);
  expect(draftPage).toContain('被更正的公示文号为 平残联〔2026〕5号。更正是一份新的公文，请填写本次更正的新文号。');
  const empty = await publish(second, { note: '无变化', docNo: '平残联〔2026〕9号' });
  expect(empty.status).toBe(422);
  expect(decoded(empty.text)).toContain('没有任何差别');
  expect((await findNotice(t.db, second))!.status).toBe('draft');
  // a new employer is accepted after publication; the correction is rebuilt with it
  await acceptedEmployer(t, {
    body: 'PH00005E',
    name: '平湖市丙纺织有限公司',
    county: '平湖市',
    staff: 30,
    disabled: 2,
    officer: 'officer.pinghu',
  });
  expect(await build()).toBe(second);
  const preview = decoded((await officer.agent.get(`/bureau/notices/${second}`)).text);
  expect(preview).toContain('更正（第2版）');
  const draft = (await findNotice(t.db, second))!;
  expect(draft.replaces_id).toBe(first);
  expect(draft.change!.added).toEqual([expect.objectContaining({ name: '平湖市丙纺织有限公司' })]);
  expect((await publish(second, { note: '', docNo: '平残联〔2026〕9号' })).status).toBe(422); // a correction needs its note
  // nor can it carry the number of the notice it corrects
  const sameNo = await publish(second, { note: '补录平湖市丙纺织有限公司', docNo: ' 平残联〔2026〕 5号' });
  expect(sameNo.status).toBe(422);
  expect(decoded(sameNo.text)).toContain('更正是一份新的公文，文号不能与被更正的公示相同');
  expect((await findNotice(t.db, second))!.status).toBe('draft');
  const sameEn = decoded((await officer.agent.get(`/bureau/notices/${second}?lang=en`)).text);
  expect(sameEn).toContain('its document number cannot be that of the notice it corrects');
  await officer.agent.get(`/bureau/notices/${second}?lang=zh`); // the officer reads Chinese again
  expect((await publish(second, { note: '补录平湖市丙纺织有限公司', docNo: '平残联〔2026〕9号' })).status).toBe(303);
  expect((await findNotice(t.db, second))!.version).toBe(2);

  const newPage = decoded((await anon().get(`/notices/${second}`)).text);
  expect(newPage).toContain('更正说明');
  expect(newPage).toContain('更正（第2版）');
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
  expect(
    (
      await visitor
        .post(`/notices/${second}/objection`)
        .type('form')
        .send({ name: '王五', contact: '', uscc, reason: 'x' })
    ).status,
  ).toBe(403); // no CSRF token
  expect(
    (
      await visitor
        .post(`/notices/${second}/objection`)
        .type('form')
        .send({ _csrf: csrf, name: '王五', contact: '', uscc, reason: 'x' })
    ).status,
  ).toBe(422);
  expect(
    (
      await visitor
        .post(`/notices/${second}/objection`)
        .type('form')
        .send({ _csrf: csrf, name: '王五', contact: '13800000000', uscc: '91330482XXXXXXXXXX', reason: 'x' })
    ).status,
  ).toBe(422);
  // the contact must be a telephone number or an e-mail address
  for (const bad of ['12345', '微信 wangwu', 'wang@', '13800000000x']) {
    const r = await visitor
      .post(`/notices/${second}/objection`)
      .type('form')
      .send({ _csrf: csrf, name: '王五', contact: bad, uscc, reason: 'x' });
    expect(r.status).toBe(422);
    expect(decoded(r.text)).toContain('联系方式应为手机号、固定电话');
  }
  for (const good of ['0573-85123456', 'wang.wu@example.cn'])
    expect(
      (
        await visitor
          .post(`/notices/${second}/objection`)
          .type('form')
          .send({ _csrf: csrf, name: '王五', contact: good, uscc, reason: '核对' })
      ).status,
    ).toBe(201);
  const ok = await visitor.post(`/notices/${second}/objection`).type('form').send({
    _csrf: csrf,
    name: '王五',
    contact: '13800000000',
    uscc,
    reason: '该单位有一名残疾职工未计入<img src=x onerror=alert(1)>',
  });
  expect(ok.status).toBe(201);
  expect(decoded(ok.text)).toContain('异议已收到');
  const reference = /YY\d{4}-\d{6}/.exec(ok.text)![0]; // the objector keeps a reference number

  const page = await officer.agent.get(`/bureau/notices/${second}`);
  expect(page.text).toContain('该单位有一名残疾职工未计入&lt;img');
  expect(page.text).not.toContain('<img src=x');
  expect(page.text).toContain('王*'); // the objector's name is masked on screen
  expect(page.text).toContain(reference);
  const oid = Number(/objections\/(\d+)\/accept/.exec(page.text.slice(page.text.indexOf(reference)))![1]);
  const step = (s: string, form: Record<string, string> = {}) =>
    officer.agent
      .post(`/bureau/notices/${second}/objections/${oid}/${s}`)
      .type('form')
      .send({ _csrf: officer.csrf, ...form });
  // 受理 → 核实 → 答复, in that order
  expect((await step('answer', { answer: '已核实', outcome: 'upheld' })).status).toBe(422);
  expect((await step('accept')).status).toBe(303);
  expect((await step('verify', { findings: '' })).status).toBe(422);
  expect((await step('verify', { findings: '经核对社保记录，该职工全年在职。' })).status).toBe(303);
  expect((await step('answer', { answer: '已核实，将更正。' })).status).toBe(422); // the outcome is required
  expect((await step('answer', { answer: '已核实，将更正。', outcome: 'upheld' })).status).toBe(303);
  expect((await step('answer', { answer: '再答', outcome: 'rejected' })).status).toBe(422);
  const handled = decoded((await officer.agent.get(`/bureau/notices/${second}`)).text);
  expect(handled).toContain('经核对社保记录');
  expect(handled).toContain('异议成立');
  const actions = (await t.db('audit_log').select('action', 'detail_json')).map((r) => r.action);
  expect(actions).toEqual(
    expect.arrayContaining([
      'notice.draft-built',
      'notice.published',
      'objection.lodged',
      'objection.accepted',
      'objection.verified',
      'objection.answered',
    ]),
  );
  const audit = JSON.stringify(await t.db('audit_log').select('*'));
  expect(audit).not.toContain('13800000000');
  expect(audit).not.toContain('王五');
});

test('objections before the period starts and after it ends are refused', async () => {
  await acceptedEmployer(t, {
    body: 'JA00001A',
    name: '嘉善县甲公司',
    county: '嘉善县',
    staff: 50,
    disabled: 1,
    officer: 'officer.jiashan',
  });
  const js = await login(t.app, 'officer.jiashan');
  await setIssuer(t, '嘉善县');
  const mk = async (year: number, start: string, days: number) => {
    const b = await js.agent.post('/bureau/notices/build').type('form').send({ _csrf: js.csrf, year, confirm: '1' });
    const id = Number(/(\d+)$/.exec(b.headers.location)![1]);
    expect(
      (
        await js.agent
          .post(`/bureau/notices/${id}/details`)
          .type('form')
          .send({ _csrf: js.csrf, docNo: '嘉善残联〔2026〕1号', periodStart: start, days })
      ).status,
    ).toBe(303);
    if (start >= todayInChina()) {
      expect(
        (await js.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: js.csrf, confirm: '1' }))
          .status,
      ).toBe(303);
    } else {
      // a period in the past is refused at publication: this notice is published as it was back then
      expect(
        (await js.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: js.csrf, confirm: '1' }))
          .status,
      ).toBe(422);
      await publishNotice(
        t.db,
        (await t.db('users').where({ username: 'officer.jiashan' }).first())!,
        id,
        undefined,
        start,
      );
    }
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
  expect(
    (
      await visitor
        .post(`/notices/${past}/objection`)
        .type('form')
        .send({ _csrf: csrf, name: '甲', contact: '1', uscc: row.uscc, reason: 'r' })
    ).status,
  ).toBe(409);
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
      html:
        (await anon().get(`/notices/${second}`)).text +
        (await anon().get(`/notices/${second}?lang=en`)).text +
        (await anon().get('/notices')).text,
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
    await acceptedEmployer(c, {
      body: 'HY00001A',
      name: '海盐县缓存测试公司',
      county: '海盐县',
      staff: 40,
      disabled: 1,
      officer: 'officer.haiyan',
    });
    const hy = await login(c.app, 'officer.haiyan');
    await setIssuer(c, '海盐县');
    const b = await hy.agent
      .post('/bureau/notices/build')
      .type('form')
      .send({ _csrf: hy.csrf, year: 2025, confirm: '1' });
    const id = Number(/(\d+)$/.exec(b.headers.location)![1]);
    await hy.agent
      .post(`/bureau/notices/${id}/details`)
      .type('form')
      .send({ _csrf: hy.csrf, docNo: '1', periodStart: todayInChina(), days: 7 });
    expect(
      (await hy.agent.post(`/bureau/notices/${id}/publish`).type('form').send({ _csrf: hy.csrf, confirm: '1' })).status,
    ).toBe(303);
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
