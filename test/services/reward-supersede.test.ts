/**
 * Reward applications across versions, at the service layer (J3 reward claims, docs/rules.md §13): which
 * application may be approved (approvalBlocker), what submitting a new version marks superseded, and what the
 * public lists — the reward list and the notice's reward column — take from a superseded version.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { findEmployerByUscc } from '../../db/stores/employers';
import { findCheckByUpload } from '../../db/stores/checks';
import type { RewardClaimListRow } from '../../db/stores/procedure';
import { approvalBlocker } from '../../server/services/procedure';
import { noticeSources } from '../../server/services/notices';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { testApp, type TestApp } from '../helpers/app';

const claim = (over: Partial<RewardClaimListRow> = {}): RewardClaimListRow => ({
  id: 1,
  submission_id: 1,
  employer_id: 1,
  year: 2025,
  county: '桐乡市',
  amount_fen: 452_000,
  rewards_json: '[]',
  status: 'applied',
  decided_by: null,
  decided_at: null,
  refusal_reason: null,
  paid_on: null,
  created_at: '',
  superseded_by_version: null,
  employer_name: '',
  uscc: '',
  unit_type: '企业',
  version: 1,
  submission_status: 'accepted',
  ...over,
});

describe('approvalBlocker', () => {
  test('the accepted current version’s application, for the amount confirmed, can be approved', () => {
    expect(approvalBlocker(claim(), { status: 'accepted', superseded_by_version: null }, 452_000)).toBeNull();
  });
  test.each([
    ['superseded application', claim({ superseded_by_version: 2 }), { status: 'accepted' }, undefined, 'superseded'],
    ['superseded submission', claim(), { status: 'accepted', superseded_by_version: 3 }, undefined, 'superseded'],
    ['submission awaiting review', claim(), { status: 'submitted' }, undefined, 'not-accepted'],
    ['submission returned', claim(), { status: 'returned' }, undefined, 'not-accepted'],
    ['already approved', claim({ status: 'approved' }), { status: 'accepted' }, undefined, 'bad-transition'],
    ['given up', claim({ status: 'waived' }), { status: 'accepted' }, undefined, 'bad-transition'],
    ['another amount confirmed', claim(), { status: 'accepted' }, 904_000, 'not-confirmed'],
  ] as const)('%s: refused', (_name, c, sub, confirmed, code) => {
    const e = approvalBlocker(c, sub, confirmed);
    expect(e?.code).toBe(code);
    expect(e?.status).toBe(409);
  });
  test('the refusal of a superseded one names both versions, in both languages', () => {
    const e = approvalBlocker(claim({ superseded_by_version: 2 }), { status: 'accepted' })!;
    expect(e.userText?.zh).toContain('第 1 版');
    expect(e.userText?.zh).toContain('已被第 2 版取代');
    expect(e.userText?.en).toContain('superseded by version 2');
  });
});

describe('submitting a new version', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('supersedes the earlier versions and their applications; a superseded approval leaves the public lists', async () => {
    const b = (await findEmployerByUscc(t.db, '91330483MA2B3C5E0L'))!;
    const officer = (await t.services.accounts.byUsername('officer.tongxiang'))!;
    const actor = { id: officer.id, username: officer.username };
    const v1 = await t.db('submissions').where({ employer_id: b.id, year: 2025 }).first();
    await t.services.submissions.review(actor, v1.id, 'accepted', null);
    const c1 = (await t.services.procedure.claimOfSubmission(v1.id))!;
    await t.services.procedure.decideClaim(actor, c1.id, 'approve', { confirmedFen: c1.amount_fen });
    expect((await t.services.procedure.rewardList('桐乡市', 2025)).map((r) => r.id)).toEqual([c1.id]);
    expect((await noticeSources(t.db, '桐乡市', 2025)).find((x) => x.uscc === b.uscc)?.rewardApproved).toBe(true);

    // version 2: one disabled employee fewer
    const file = join(t.dataDir, 'b-v2.xlsx');
    await writeRosterWorkbook(file, b, 'concentrated');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.getWorksheet('职工名册')!.spliceRows(3, 1);
    await wb.xlsx.writeFile(file);
    const up = await t.services.uploads.receive({ id: 1, username: 'employer.b' }, b, file, 'b-v2.xlsx', 1);
    await t.services.uploads.process(up, b);
    const check = (await findCheckByUpload(t.db, up))!;
    const v2 = await t.services.submissions.submit({ id: 1, username: 'employer.b' }, b.id, check.id, {
      rewardChoice: 'apply',
    });
    expect(v2.version).toBe(2);

    expect((await t.services.submissions.byId(v1.id))?.superseded_by_version).toBe(2);
    expect((await t.services.submissions.byId(v2.id))?.superseded_by_version ?? null).toBeNull();
    const after1 = (await t.services.procedure.claim(c1.id))!;
    expect(after1.superseded_by_version).toBe(2);
    // its approval is history: the status stays, but it is no longer current, so it is not public
    expect(after1.status).toBe('approved');
    expect(await t.services.procedure.rewardList('桐乡市', 2025)).toEqual([]);
    // the notice still takes the latest accepted version (v1), but not its superseded reward
    expect((await noticeSources(t.db, '桐乡市', 2025)).find((x) => x.uscc === b.uscc)?.rewardApproved).toBe(false);
    await expect(
      t.services.procedure.decideClaim(actor, c1.id, 'paid', { paidOn: '2026-10-15' }),
    ).rejects.toMatchObject({ code: 'superseded' });
    const c2 = (await t.services.procedure.claimOfSubmission(v2.id))!;
    await expect(
      t.services.procedure.decideClaim(actor, c2.id, 'approve', { confirmedFen: c2.amount_fen }),
    ).rejects.toMatchObject({ code: 'not-accepted' });
    await t.services.submissions.review(actor, v2.id, 'accepted', null);
    await t.services.procedure.decideClaim(actor, c2.id, 'approve', { confirmedFen: c2.amount_fen });
    const listed = await t.services.procedure.rewardList('桐乡市', 2025);
    expect(listed.map((r) => [r.id, r.amount_fen])).toEqual([[c2.id, c2.amount_fen]]);
    expect(c2.amount_fen).toBeLessThan(c1.amount_fen);
  });
});
