/** The 公示 as an official document (UX.md §3): every part, in order, in both languages; nothing invented. */
import { buildNotice, type NoticeSource } from '../../reports/disclosure/build-notice';
import { dayCount, documentDate, noticeDocument, type NoticeDocInput } from '../../reports/disclosure/notice-document';
import { noticeDocumentHtml } from '../../reports/disclosure/notice-html';

const src = (o: Partial<NoticeSource>): NoticeSource => ({
  name: '某公司',
  uscc: 'U0',
  unitType: '企业',
  avgStaff: 100,
  required: 1.5,
  avgWeighted: 0.5,
  quotaStatus: 'short',
  concentratedMonths: 0,
  levyPayableFen: 6_372_000,
  rewardTotalFen: 0,
  ...o,
});
const body = buildNotice([
  src({ name: '桐乡市甲公司', uscc: 'U1' }),
  src({
    name: '桐乡市乙公司',
    uscc: 'U2',
    avgWeighted: 5,
    quotaStatus: 'exceeded',
    levyPayableFen: 0,
    rewardTotalFen: 1_200_000,
  }),
]);
const issuer = {
  issuingBody: '桐乡市残疾人联合会',
  contactPerson: '王老师',
  telephone: '0573-88000000',
  address: '桐乡市庆丰路1号',
  officeHours: '工作日 8:30–17:00',
};
const input: NoticeDocInput = {
  county: '桐乡市',
  year: 2025,
  docNo: '桐残联〔2026〕3号',
  edition: 1,
  replaces: null,
  change: null,
  changeNote: null,
  periodStart: '2026-11-29',
  periodEnd: '2026-12-05',
  issuedOn: '2026-11-29',
  issuer,
  body,
};

test('Chinese dates without a clock time, and the day count both ends included', () => {
  expect(documentDate('2026-11-29', 'zh')).toBe('2026年11月29日');
  expect(documentDate('2026-01-05T23:59:00Z', 'zh')).toBe('2026年1月5日');
  expect(documentDate('2026-11-29', 'en')).toBe('29 November 2026');
  expect(dayCount('2026-11-29', '2026-12-05')).toBe(7);
  expect(dayCount('2026-12-31', '2027-01-01')).toBe(2);
});

test('a first publication has every part, in order, and no edition mark', () => {
  const d = noticeDocument(input, 'zh');
  expect(d.title).toBe('桐乡市2025年度用人单位按比例安排残疾人就业情况公示');
  expect(d.edition).toBeNull();
  expect(d.docNo).toBe('桐残联〔2026〕3号');
  expect(d.lead).toContain(
    '《嘉兴市人民政府关于加快推进残疾人全面小康进程的实施办法》（嘉政发〔2016〕46号）三、（二）',
  );
  expect(d.lead).toContain('2025年度');
  expect(d.lead).not.toMatch(/本年度|若干意见/);
  expect(d.parts.map((p) => p.heading)).toEqual([
    '一、按单位类型汇总',
    '二、用人单位按比例安排残疾人就业情况',
    '三、超比例安排残疾人就业奖励',
  ]);
  expect(d.parts[1].tables[1].columns.map((c) => c.header)).toContain('应缴保障金（元）');
  expect(d.parts[2].tables[0].columns.map((c) => c.header)).toContain('奖励金额（元）');
  expect(d.parts[2].tables[0].rows).toEqual([[1, '桐乡市乙公司', 'U2', '企业', 1.5, 5, 3.5, 12000]]);
  expect(d.period).toBe('公示时间：2026年11月29日至2026年12月5日（共7天）。');
  expect(d.objection.lines).toEqual([
    expect.stringContaining('书面形式实名'),
    '联系人：王老师',
    '联系电话：0573-88000000',
    '地址：桐乡市庆丰路1号',
    '受理时间：工作日 8:30–17:00',
  ]);
  expect(d.closing).toBe('特此公示。');
  expect(d.issuer).toBe('桐乡市残疾人联合会');
  expect(d.date).toBe('2026年11月29日');
  expect(d.missing).toEqual([]);
  const html = noticeDocumentHtml(d);
  const order = [
    d.title,
    d.docNo!,
    '根据《',
    '一、按单位类型汇总',
    '二、用人单位',
    '三、超比例',
    '公示时间：',
    '联系人：',
    '特此公示。',
    'class="doc-issuer">桐乡市残疾人联合会',
    'class="doc-date">2026年11月29日',
  ].map((x) => html.indexOf(x));
  expect(order.every((x) => x >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(html).not.toMatch(/第\s*1\s*版|更正/);
  expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T|\d{1,2}:\d{2}:\d{2}|UTC|Z\b/);
});

test('a correction carries its edition and what changed; an unset issuer is reported, never invented', () => {
  const d = noticeDocument(
    {
      ...input,
      edition: 2,
      replaces: { version: 1, docNo: '桐残联〔2026〕3号', publishedOn: '2026-11-20' },
      change: {
        added: [{ uscc: 'U3', name: '桐乡市丙公司' }],
        removed: [],
        changed: [{ uscc: 'U1', name: '桐乡市甲公司', fields: [{ field: 'levy', before: 63720, after: 0 }] }],
      },
      changeNote: '补录',
      issuer: { telephone: '0573-88000000' },
    },
    'zh',
  );
  expect(d.edition).toBe('更正（第2版）');
  expect(d.correction!.text).toBe('本公示更正并替代2026年11月20日发布的第1版公示（桐残联〔2026〕3号）。更正内容：');
  expect(d.correction!.items).toEqual([
    '新增：桐乡市丙公司（U3）',
    '变更：桐乡市甲公司（U1）：应缴保障金（元） 63,720.00 → 0.00',
  ]);
  expect(d.missing).toEqual(['发布单位（落款）', '联系人', '地址', '受理时间']);
  expect(d.issuer).toBe('【发布单位（落款）未设置】');
});

test('the English document is English throughout, apart from the names of places, units and documents', () => {
  const d = noticeDocument(input, 'en');
  expect(d.period).toBe('Notice period: 29 November 2026 to 5 December 2026 (7 days).');
  expect(d.closing).toBe('Hereby published.');
  expect(d.lead).toContain('嘉政发〔2016〕46号');
  expect(d.lead).toContain('2025');
  const visible = [
    d.title,
    d.lead,
    d.period,
    ...d.objection.lines,
    ...d.parts.map((p) => p.heading),
    ...d.parts.flatMap((p) => p.tables.flatMap((t) => t.columns.map((c) => c.header))),
  ].join(' ');
  const stripped = visible.replace(
    /《[^》]*》|（[^）]*号）|“[^”]*”|"[^"]*"|桐乡市[^\s,.:]*|嘉政发〔2016〕46号|0573-88000000|王老师|工作日 8:30–17:00|桐乡市庆丰路1号|桐乡市残疾人联合会/g,
    '',
  );
  expect(stripped).not.toMatch(/[\u4e00-\u9fff]/);
});
