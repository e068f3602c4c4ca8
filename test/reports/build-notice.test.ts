import { buildNotice, noticeTitle, type NoticeSource } from '../../reports/disclosure/build-notice';
import { csvField, safeCell, safeText } from '../../reports/xlsx/safe-cell';

const base: Omit<NoticeSource, 'name' | 'uscc' | 'unitType'> = { avgStaff: 100, required: 1.5, avgWeighted: 2, quotaStatus: 'met', concentratedMonths: 0, levyPayableFen: 0, rewardTotalFen: 0 };

test('public sector first (J3.2), each section sorted by name, status labels, totals, flags', () => {
  const n = buildNotice([
    { ...base, name: '海宁市乙公司', uscc: 'U3', unitType: '企业', avgWeighted: 0.5, quotaStatus: 'short', levyPayableFen: 3_600_000 },
    { ...base, name: '海宁市第一人民医院', uscc: 'U1', unitType: '事业单位', avgWeighted: 0, quotaStatus: 'short', levyPayableFen: 10_800_000 },
    { ...base, name: '海宁市甲公司', uscc: 'U2', unitType: '企业', avgStaff: 40, required: 0.6, avgWeighted: 12, quotaStatus: 'exceeded', concentratedMonths: 12, rewardTotalFen: 904_000 },
    { ...base, name: '海宁市丙商店', uscc: 'U4', unitType: '个体工商户', avgStaff: 12, required: 0.18, avgWeighted: 0, quotaStatus: 'exempt' },
  ], 'levy');
  expect(n.sections.map((s) => s.title)).toEqual(['一、机关、事业单位、国有企业', '二、其他用人单位']);
  expect(n.sections[0].rows).toEqual([expect.objectContaining({ seq: 1, name: '海宁市第一人民医院', status: '未达标', amount: 108000, flagNoDisabled: true, ratio: 0 })]);
  expect(n.sections[1].rows.map((r) => [r.seq, r.name, r.status])).toEqual([
    [1, '海宁市丙商店', '免征'], [2, '海宁市甲公司', '集中就业'], [3, '海宁市乙公司', '未达标'],
  ]);
  expect(n.sections[1].rows.every((r) => !r.flagNoDisabled)).toBe(true);
  expect(n.sections[1].totals).toEqual({ employers: 3, avgStaff: 152, required: 2.28, actual: 12.5, amount: 36000 });
  expect(buildNotice([{ ...base, name: 'x', uscc: 'u', unitType: '企业', rewardTotalFen: 1234 }], 'reward').sections[1].rows[0].amount).toBe(12.34);
  expect(buildNotice([{ ...base, name: 'x', uscc: 'u', unitType: '企业' }], 'none').sections[1].totals.amount).toBeNull();
  expect(noticeTitle('海宁市', 2025)).toBe('海宁市2025年度用人单位按比例安排残疾人就业情况公示');
});

test('personal data passed in by mistake never reaches a notice', () => {
  const leaky = { ...base, name: '某公司', uscc: 'U9', unitType: '企业' as const, employees: [{ name: '张三', idNumber: '11010519491231002X', cert: '11010519491231002X42' }], contact: '张三 13800000000' };
  const text = JSON.stringify(buildNotice([leaky], 'levy'));
  expect(text).not.toMatch(/张三|11010519491231002X|13800000000/);
});

test('formula injection is neutralised in every exported text cell', () => {
  for (const bad of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(safeText(bad).startsWith("'")).toBe(true);
  expect(safeText('嘉兴某公司')).toBe('嘉兴某公司');
  expect(safeCell(-5)).toBe(-5);
  expect(csvField('=1+1')).toBe("'=1+1");
  expect(csvField('a,"b"')).toBe('"a,""b"""');
  expect(csvField(null)).toBe('');
});
