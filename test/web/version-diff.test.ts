/**
 * What changed between two submitted versions lists changed values only: figures are compared as values (money
 * in fen, persons as numbers within float storage), never as text, so 0.60 → 0.60 is never listed; a change
 * too small for two decimals is shown with four, so a listed change always reads as one.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { findEmployerByUscc } from '../../db/stores/employers';
import { findCheckByUpload } from '../../db/stores/checks';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { login, testApp, visibleText, type TestApp } from '../helpers/app';
import { sameFigure } from '../../server/services/figure-diff';
import { resultDiff } from '../../server/services/recompute-one';
import type { CheckResult } from '../../server/rules/result';

describe('sameFigure', () => {
  test.each([
    ['quota.required', 0.6, 0.6000000238418579, true],
    ['annual.avgStaff', 40.083333333333336, 40.08333206176758, true],
    ['annual.avgStaff', 0.6, 0.61, false],
    ['annual.avgWeighted', 10, 10.004, false],
    ['levy.payable', 27594.83, 27594.830000001, true],
    ['levy.payable', 27594.83, 27594.84, false],
    ['rewards.total', 9040, 4520, false],
    ['quota.status', 'short', 'short', true],
    ['quota.status', 'short', 'met', false],
    ['annual.avgStaff', '0.60', 0.6, true],
  ] as const)('%s: %p and %p are the same: %p', (figure, a, b, same) => {
    expect(sameFigure(figure, a, b)).toBe(same);
  });

  test('a recompute’s diff leaves out a figure whose value did not change', () => {
    const before = {
      annual: { wageBase: 88303.45 },
      levy: { full: 1000, payable: 900 },
      quota: { status: 'short' },
      taxForm: { col8: 88303.45, col10: 100, col12: 900 },
    } as unknown as CheckResult;
    const after = {
      annual: { wageBase: 88303.45 + 1e-9 },
      levy: { full: 1000.001, payable: 800 },
      quota: { status: 'short' },
      taxForm: { col8: 88303.45, col10: 200, col12: 800 },
    } as unknown as CheckResult;
    expect(resultDiff(before, after).map((d) => d.figure)).toEqual(['levy.payable', 'taxForm.col10', 'taxForm.col12']);
  });
});

describe('the version diff page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('lists no unchanged value, and shows a small change with the digits that tell it', async () => {
    const b = (await findEmployerByUscc(t.db, '91330483MA2B3C5E0L'))!;
    const file = join(t.dataDir, 'b-wages.xlsx');
    await writeRosterWorkbook(file, b, 'concentrated');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    // a new version that differs only in the declared wage total
    wb.getWorksheet('单位信息')!.addRow(['上年工资总额（元）', 1_900_000]);
    await wb.xlsx.writeFile(file);
    const up = await t.services.uploads.receive({ id: 1, username: 'employer.b' }, b, file, 'b.xlsx', 1);
    await t.services.uploads.process(up, b);
    const check = (await findCheckByUpload(t.db, up))!;
    const v2 = await t.services.submissions.submit({ id: 1, username: 'employer.b' }, b.id, check.id, {
      rewardChoice: 'apply',
    });
    const now = await t.db('submissions').where({ id: v2.id }).first();
    const v1 = await t.db('submissions').where({ employer_id: b.id, year: 2025, version: 1 }).first();
    // version 1 as a float column gives it back: the same values, other binary representations; and one
    // real change below what two decimals show
    await t
      .db('submissions')
      .where({ id: v1.id })
      .update({
        avg_staff: Math.fround(Number(now.avg_staff)),
        required: Math.fround(Number(now.required)),
        avg_weighted: Number(now.avg_weighted) + 0.004,
        quota_status: now.quota_status,
        levy_payable_fen: now.levy_payable_fen,
        reward_total_fen: now.reward_total_fen,
        vat_ceiling_fen: now.vat_ceiling_fen,
        concentrated_months: now.concentrated_months,
      });
    expect(Math.fround(Number(now.required))).not.toBe(Number(now.required));

    const diff = (await t.services.submissions.diffWithPrevious(v2.id))!;
    expect(diff.figures.map((f) => f.figure)).toEqual(['annual.avgWeighted']);

    const officer = await login(t.app, 'officer.tongxiang');
    const page = visibleText((await officer.agent.get(`/bureau/submissions/${v2.id}`)).text);
    const section = page.slice(page.indexOf('与第 1 版相比'), page.indexOf('结论'));
    expect(section).not.toContain('应安排残疾人就业人数');
    expect(section).not.toContain('上年在职职工人数（年平均）');
    expect(section).toContain('实际安排残疾人就业人数');
    const weighted = Number(now.avg_weighted);
    expect(section).toContain(`${(weighted + 0.004).toFixed(4)} 人`);
    expect(section).toContain(`${weighted.toFixed(4)} 人`);
  });
});
