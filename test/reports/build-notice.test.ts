import { buildNotice, normaliseBody, noticeTitle, type NoticeSource } from '../../reports/disclosure/build-notice';
import { csvField, safeCell, safeText } from '../../reports/xlsx/safe-cell';

const base: Omit<NoticeSource, 'name' | 'uscc' | 'unitType'> = {
  avgStaff: 100,
  required: 1.5,
  avgWeighted: 2,
  quotaStatus: 'met',
  concentratedMonths: 0,
  levyPayableFen: 0,
  rewardTotalFen: 0,
};

test('public sector first (J3.2), each section sorted by name, status labels, totals, flags; both lists and the aggregate', () => {
  const n = buildNotice([
    {
      ...base,
      name: '海宁市乙公司',
      uscc: 'U3',
      unitType: '企业',
      avgWeighted: 0.5,
      quotaStatus: 'short',
      levyPayableFen: 3_600_000,
    },
    {
      ...base,
      name: '海宁市第一人民医院',
      uscc: 'U1',
      unitType: '事业单位',
      avgWeighted: 0,
      quotaStatus: 'short',
      levyPayableFen: 10_800_000,
    },
    {
      ...base,
      name: '海宁市甲公司',
      uscc: 'U2',
      unitType: '企业',
      avgStaff: 40,
      required: 0.6,
      avgWeighted: 12,
      quotaStatus: 'exceeded',
      concentratedMonths: 12,
      rewardTotalFen: 904_000,
    },
    {
      ...base,
      name: '海宁市丙商店',
      uscc: 'U4',
      unitType: '个体工商户',
      avgStaff: 12,
      required: 0.18,
      avgWeighted: 0,
      quotaStatus: 'exempt',
    },
    {
      ...base,
      name: '海宁市助残协会',
      uscc: 'U5',
      unitType: '社会团体',
      avgStaff: 10,
      required: 0.15,
      avgWeighted: 1,
      quotaStatus: 'exceeded',
      rewardTotalFen: 1_001,
    },
  ]);
  expect(n.sections.map((s) => s.kind)).toEqual(['public', 'other']);
  expect(n.sections[0].rows).toEqual([
    expect.objectContaining({
      seq: 1,
      name: '海宁市第一人民医院',
      status: '未达标',
      levy: 108000,
      flagNoDisabled: true,
      ratio: 0,
    }),
  ]);
  expect(n.sections[1].rows.map((r) => [r.seq, r.name, r.status])).toEqual([
    [1, '海宁市丙商店', '免征'],
    [2, '海宁市甲公司', '集中就业'],
    [3, '海宁市乙公司', '未达标'],
    [4, '海宁市助残协会', '超比例'],
  ]);
  expect(n.sections[1].rows.every((r) => !r.flagNoDisabled)).toBe(true);
  expect(n.sections[1].totals).toEqual({ employers: 4, avgStaff: 162, required: 2.43, actual: 13.5, levy: 36000 });
  // the reward list: only units with a reward, in name order, the excess over the quota, the total summed in fen
  expect(n.rewards.rows.map((r) => [r.seq, r.name, r.excess, r.reward])).toEqual([
    [1, '海宁市甲公司', 11.4, 9040],
    [2, '海宁市助残协会', 0.85, 10.01],
  ]);
  expect(n.rewards.total).toBe(9050.01);
  // the county aggregate: the five categories always, counted from the listed units
  expect(n.aggregate.rows).toEqual([
    { category: '机关', units: 0, avgStaff: 0, actual: 0 },
    { category: '团体', units: 1, avgStaff: 10, actual: 1 },
    { category: '企业', units: 3, avgStaff: 152, actual: 12.5 },
    { category: '事业', units: 1, avgStaff: 100, actual: 0 },
    { category: '民办非企业', units: 0, avgStaff: 0, actual: 0 },
  ]);
  expect(n.aggregate.total).toEqual({ units: 5, avgStaff: 262, actual: 13.5 });
  expect(buildNotice([{ ...base, name: 'x', uscc: 'u', unitType: '社会组织' }]).aggregate.rows.at(-1)).toEqual({
    category: '其他社会组织',
    units: 1,
    avgStaff: 100,
    actual: 2,
  });
  expect(noticeTitle('海宁市', 2025)).toBe('海宁市2025年度用人单位按比例安排残疾人就业情况公示');
});

test('a notice stored with one amount column is read with that amount in its own list', () => {
  const row = {
    seq: 1,
    name: '甲',
    uscc: 'U1',
    unitType: '企业',
    avgStaff: 40,
    required: 0.6,
    actual: 3,
    ratio: 0.075,
    status: '超比例',
    flagNoDisabled: false,
  };
  const reward = normaliseBody({
    amountColumn: 'reward',
    sections: [
      { title: '一', rows: [] },
      { title: '二', rows: [{ ...row, amount: 9040 }] },
    ],
  });
  expect(reward.rewards.rows).toEqual([expect.objectContaining({ name: '甲', reward: 9040 })]);
  expect(reward.sections[1].rows[0].levy).toBe(0);
  const levy = normaliseBody({
    amountColumn: 'levy',
    sections: [
      { title: '一', rows: [] },
      { title: '二', rows: [{ ...row, amount: 12.5 }] },
    ],
  });
  expect(levy.sections[1].totals.levy).toBe(12.5);
  expect(levy.rewards.rows).toEqual([]);
  expect(levy.aggregate.total.units).toBe(1);
});

test('personal data passed in by mistake never reaches a notice', () => {
  const leaky = {
    ...base,
    name: '某公司',
    uscc: 'U9',
    unitType: '企业' as const,
    employees: [{ name: '张三', idNumber: '11010519491231002X', cert: '11010519491231002X42' }],
    contact: '张三 13800000000',
  };
  const text = JSON.stringify(buildNotice([leaky]));
  expect(text).not.toMatch(/张三|11010519491231002X|13800000000/);
});

test('formula injection is neutralised in every exported text cell', () => {
  for (const bad of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
    expect(safeText(bad).startsWith("'")).toBe(true);
  expect(safeText('嘉兴某公司')).toBe('嘉兴某公司');
  expect(safeCell(-5)).toBe(-5);
  expect(csvField('=1+1')).toBe("'=1+1");
  expect(csvField('a,"b"')).toBe('"a,""b"""');
  expect(csvField(null)).toBe('');
});
