/**
 * One person, one unit, one month (docs/rules.md §4.2): across the current submissions of a data year, city-wide,
 * every disabled employee counted in the same month by two or more units, found by the keyed hash of the ID number
 * (the number never leaves its own unit's records). The officer reviewing either submission sees the clash and
 * decides which unit keeps which months; the other unit's result is then computed again without them, through the
 * engine (`CheckInputs.withheld`), as a new version with what changed, audited in the same transaction.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { findCheck } from '../../db/stores/checks';
import {
  claimsCountedTwice,
  claimsOfKeys,
  countedPersonsOfCheck,
  currentSubmissionOf,
  decisionsOfEmployer,
  findCountedPerson,
  insertDecision,
  setDecisionVersion,
  updateCountedMonths,
  withheldMonthsOf,
  type ClaimRow,
  type CountedPersonRow,
} from '../../db/stores/cross-unit';
import { findEmployerById } from '../../db/stores/employers';
import {
  insertResultVersion,
  listResultVersions,
  replaceCheckResult,
  updateSubmissionFigures,
} from '../../db/stores/procedure';
import { findUpload } from '../../db/stores/uploads';
import { computedResult } from '../../reports/stored-result';
import { said } from '../i18n/t';
import { errorSummary } from '../log';
import { suggestedKeeper, type CrossUnitKeeper } from '../rules/cross-unit';
import { maskOf, monthsOf, type CountedPerson } from './employee-keys';
import { DomainError } from './errors';
import type { ParameterService } from './parameters';
import { recomputeOne, type FigureDiff } from './recompute-one';
import type { UploadFiles } from './upload-files';
import type { RegisterInput } from './certificate-register';
import type { InsuranceInput } from './insurance-records';

type Actor = { id: number; username: string };

export const countedRow = (
  checkId: string,
  employerId: number,
  year: number,
  p: CountedPerson,
): Omit<CountedPersonRow, 'id'> => ({
  check_id: checkId,
  employer_id: employerId,
  year,
  person_key: p.key,
  row: p.row,
  masked_name: p.maskedName,
  weight: p.weight,
  months_mask: p.monthsMask,
  insured_mask: p.insuredMask,
  hired: p.hired,
  left: p.left,
  contract_start: p.contractStart,
  contract_end: p.contractEnd,
});

/** What one unit says about the person: shown to the officer beside the other unit's. */
export interface ClashSide {
  /** the counted person's record (counted_persons.id): how a form names the side */
  personId: number;
  submissionId: number | null;
  checkId: string;
  employerId: number;
  employerName: string;
  county: string;
  row: number;
  maskedName: string;
  weight: number;
  months: number[];
  /** null: every month employed */
  insured: number[] | null;
  hired: string;
  left: string | null;
  contractStart: string;
  contractEnd: string | null;
}

export interface Clash {
  year: number;
  here: ClashSide;
  other: ClashSide;
  /** the months both count */
  months: number[];
  /** by month: the unit that keeps it under the reading (I12), or null when the officer decides */
  suggestion: { month: number; keeper: 'here' | 'other' | null }[];
}

const sideOf = (p: CountedPersonRow, extra: { submissionId: number | null; employerName: string; county: string }) => ({
  personId: p.id,
  submissionId: extra.submissionId,
  checkId: p.check_id,
  employerId: p.employer_id,
  employerName: extra.employerName,
  county: extra.county,
  row: p.row,
  maskedName: p.masked_name,
  weight: p.weight,
  months: monthsOf(p.months_mask),
  insured: p.insured_mask === null ? null : monthsOf(p.insured_mask),
  hired: p.hired,
  left: p.left,
  contractStart: p.contract_start,
  contractEnd: p.contract_end,
});

const claimSide = (c: ClaimRow): ClashSide =>
  sideOf(c, { submissionId: c.submission_id, employerName: c.employer_name, county: c.county });

function clashOf(
  year: number,
  p: CountedPersonRow,
  here: ClashSide,
  other: ClaimRow,
  reading: CrossUnitKeeper,
): Clash | null {
  const overlap = p.months_mask & other.months_mask;
  if (!overlap) return null;
  const months = monthsOf(overlap);
  const a = { insuredMask: p.insured_mask, hired: p.hired },
    b = { insuredMask: other.insured_mask, hired: other.hired };
  return {
    year,
    here,
    other: claimSide(other),
    months,
    suggestion: months.map((month) => {
      const k = suggestedKeeper(a, b, month, reading);
      return { month, keeper: k === 'a' ? 'here' : k === 'b' ? 'other' : null };
    }),
  };
}

export class CrossUnitError extends DomainError {}
const notAClash = () =>
  new CrossUnitError('conflict', 'no such clash', said('crossUnit.error.notFound'), 'not-a-clash');

export interface DecisionOutcome {
  /** the results computed again: the unit, the version made and what changed; purged: the workbook is gone */
  recomputed: { employerId: number; checkId: string; version: number | null; diff: FigureDiff[]; purged: boolean }[];
}

export class CrossUnitService {
  constructor(
    private readonly db: Knex,
    private readonly params: ParameterService,
    private readonly files: UploadFiles,
    private readonly secret: string,
    private readonly reading: CrossUnitKeeper,
    private readonly log: (msg: string, fields?: Record<string, unknown>) => void,
    /** the certificate register in force (docs/rules.md §4.3): a result computed again is checked against it */
    private readonly register: () => Promise<RegisterInput | null> = async () => null,
    /** the insurer's records of a unit (docs/rules.md §4.4) */
    private readonly insurance: (uscc: string) => Promise<InsuranceInput | null> = async () => null,
  ) {}

  /**
   * Every clash of one stored result: each disabled employee it counts whom another unit's current submission of
   * the year counts in a month it counts too.
   */
  async clashesOfCheck(checkId: string): Promise<Clash[]> {
    const check = await findCheck(this.db, checkId);
    if (!check || check.year === null) return [];
    const year = Number(check.year);
    const mine = await countedPersonsOfCheck(this.db, checkId);
    if (!mine.length) return [];
    const employer = await findEmployerById(this.db, check.employer_id);
    const sub = await currentSubmissionOf(this.db, check.employer_id, year);
    const others = await claimsOfKeys(
      this.db,
      year,
      mine.map((p) => p.person_key),
      check.employer_id,
    );
    const byKey = new Map<string, ClaimRow[]>();
    for (const o of others) byKey.set(o.person_key, [...(byKey.get(o.person_key) ?? []), o]);
    const out: Clash[] = [];
    for (const p of mine) {
      const here = sideOf(p, {
        submissionId: sub && sub.check_id === checkId ? Number(sub.id) : null,
        employerName: employer?.name ?? '',
        county: employer?.county ?? '',
      });
      for (const o of byKey.get(p.person_key) ?? []) {
        const c = clashOf(year, p, here, o, this.reading);
        if (c) out.push(c);
      }
    }
    return out.sort((a, b) => a.here.row - b.here.row || a.other.employerName.localeCompare(b.other.employerName));
  }

  /**
   * The city-wide search: every person counted by two or more units' current submissions in the same month of
   * the year — how many persons, how many pairs of units and months, and the pairs (for the bench and the
   * bureau's overview; `county` keeps the pairs with a unit in it).
   */
  async clashesOfYear(
    year: number,
    county?: string,
  ): Promise<{ persons: number; pairs: number; personMonths: number }> {
    const claims = await claimsCountedTwice(this.db, year);
    let persons = 0,
      pairs = 0,
      personMonths = 0;
    for (let i = 0; i < claims.length;) {
      let j = i;
      while (j < claims.length && claims[j].person_key === claims[i].person_key) j++;
      let any = false;
      for (let a = i; a < j; a++)
        for (let b = a + 1; b < j; b++) {
          if (claims[a].employer_id === claims[b].employer_id) continue;
          if (county && claims[a].county !== county && claims[b].county !== county) continue;
          const overlap = claims[a].months_mask & claims[b].months_mask;
          if (!overlap) continue;
          any = true;
          pairs++;
          personMonths += monthsOf(overlap).length;
        }
      if (any) persons++;
      i = j;
    }
    return { persons, pairs, personMonths };
  }

  /** The decisions of a year involving the unit, as they were made. */
  decisionsOf(year: number, employerId: number) {
    return decisionsOfEmployer(this.db, year, employerId).then((rows) =>
      rows.map((d) => ({ ...d, months: JSON.parse(d.months_json) as number[] })),
    );
  }

  /**
   * The officer's decision on one clash: each month both units count goes to one of them. The months the other
   * unit keeps are withheld from this unit's result, and those this unit keeps from the other's; each result that
   * gives up months is computed again without them as a new version.
   */
  async decide(
    officer: Actor,
    hereId: number,
    otherId: number,
    keepers: Record<number, 'here' | 'other'>,
  ): Promise<DecisionOutcome> {
    const here = await findCountedPerson(this.db, hereId);
    const other = await findCountedPerson(this.db, otherId);
    if (!here || !other || here.person_key !== other.person_key || here.year !== other.year) throw notAClash();
    if (here.employer_id === other.employer_id) throw notAClash();
    const overlap = monthsOf(here.months_mask & other.months_mask);
    const chosen = overlap.filter((m) => keepers[m] === 'here' || keepers[m] === 'other');
    if (!chosen.length)
      throw new CrossUnitError('invalid', 'no month decided', said('crossUnit.error.noMonth'), 'no-month');
    const year = here.year;
    const give = [
      { keeper: here, loser: other, months: chosen.filter((m) => keepers[m] === 'here') },
      { keeper: other, loser: here, months: chosen.filter((m) => keepers[m] === 'other') },
    ].filter((g) => g.months.length);
    const made: { employerId: number; ids: number[] }[] = [];
    await this.db.transaction(async (trx) => {
      for (const g of give) {
        const id = await insertDecision(trx, {
          year,
          person_key: here.person_key,
          keeper_employer_id: g.keeper.employer_id,
          other_employer_id: g.loser.employer_id,
          months_json: JSON.stringify(g.months),
          keeper_row: g.keeper.row,
          keeper_masked_name: g.keeper.masked_name,
          other_row: g.loser.row,
          other_masked_name: g.loser.masked_name,
          check_id: null,
          version: null,
          decided_by: officer.id,
        });
        made.push({ employerId: g.loser.employer_id, ids: [id] });
        await appendAudit(trx, {
          actor: officer.username,
          action: 'cross-unit.decided',
          target: `year:${year}`,
          // the units and the rows of their own rosters: no name, no ID number
          detail: {
            decision: id,
            keeper: g.keeper.employer_id,
            keeperRow: g.keeper.row,
            other: g.loser.employer_id,
            otherRow: g.loser.row,
            months: g.months,
          },
        });
      }
    });
    const recomputed: DecisionOutcome['recomputed'] = [];
    for (const m of made) recomputed.push(await this.recomputeWithout(officer, year, m.employerId, m.ids));
    return { recomputed };
  }

  /** The unit's current result of the year computed again without every month it gives up, as a new version. */
  private async recomputeWithout(officer: Actor, year: number, employerId: number, decisionIds: number[]) {
    const sub = await currentSubmissionOf(this.db, employerId, year);
    const none = { employerId, checkId: '', version: null, diff: [], purged: false };
    if (!sub) return none;
    const check = (await findCheck(this.db, sub.check_id))!;
    const upload = await findUpload(this.db, check.upload_id);
    const employer = (await findEmployerById(this.db, employerId))!;
    if (!upload || upload.purged_at) return { ...none, checkId: check.id, purged: true };
    const withheld = { secret: this.secret, months: await withheldMonthsOf(this.db, year, employerId) };
    const form = upload.employer_form_json ? (JSON.parse(upload.employer_form_json) as Record<string, string>) : {};
    const snap = await this.params.snapshot();
    const stored = await this.files.open(upload.stored_name);
    let out;
    try {
      out = await recomputeOne(
        {
          path: stored.path,
          fileName: upload.file_name,
          beforeJson: check.result_json,
          employerFields: {
            name: employer.name,
            uscc: employer.uscc,
            county: employer.county,
            unitType: employer.unit_type,
            ...form,
          },
          uscc: employer.uscc,
          withheld,
          register: await this.register(),
          insurance: await this.insurance(employer.uscc),
        },
        snap.params,
      );
    } catch (e) {
      this.log('cross-unit recompute could not read a stored workbook', { check: check.id, error: errorSummary(e) });
      return { ...none, checkId: check.id };
    } finally {
      await stored.release();
    }
    if (out.status !== 'recomputed') return { ...none, checkId: check.id };
    const after = computedResult(out.resultJson)!;
    let version = 0;
    await this.db.transaction(async (trx) => {
      const versions = await listResultVersions(trx, check.id);
      const last = versions.at(-1)?.version;
      if (last === undefined)
        await insertResultVersion(trx, {
          check_id: check.id,
          version: 1,
          reason: 'original',
          result_json: check.result_json,
          diff_json: '[]',
          created_by: officer.id,
        });
      version = (last ?? 1) + 1;
      await insertResultVersion(trx, {
        check_id: check.id,
        version,
        reason: 'cross-unit',
        result_json: out.resultJson,
        diff_json: JSON.stringify(out.diff),
        created_by: officer.id,
      });
      await replaceCheckResult(trx, check.id, out.resultJson);
      await updateSubmissionFigures(trx, check.id, {
        levy_payable_fen: out.levyAfterFen,
        reward_total_fen: out.rewardTotalFen,
        quota_status: out.quotaStatus,
      });
      await updateCountedMonths(trx, check.id, new Map(after.counted.map((c) => [c.row, maskOf(c.months)])));
      await setDecisionVersion(trx, decisionIds, check.id, version);
      await appendAudit(trx, {
        actor: officer.username,
        action: 'result.recomputed',
        target: `check:${check.id}`,
        detail: { year, version, reason: 'cross-unit', decisions: decisionIds, diff: out.diff },
      });
    });
    return { employerId, checkId: check.id, version, diff: out.diff, purged: false };
  }

  /**
   * What the unit's result would be if every other unit's claim on the months both count stood: the stored
   * workbook computed again without them, nothing written. Null when nothing clashes or the workbook is gone.
   */
  async ifOthersStand(checkId: string, clashes: Clash[]): Promise<FigureDiff[] | null> {
    if (!clashes.length) return null;
    const check = await findCheck(this.db, checkId);
    const upload = check && (await findUpload(this.db, check.upload_id));
    const employer = check && (await findEmployerById(this.db, check.employer_id));
    if (!check || !upload || upload.purged_at || !employer || check.year === null) return null;
    const months = await withheldMonthsOf(this.db, Number(check.year), check.employer_id);
    const mine = await countedPersonsOfCheck(this.db, checkId);
    const keyOf = new Map(mine.map((p) => [p.id, p.person_key]));
    for (const c of clashes) {
      const key = keyOf.get(c.here.personId)!;
      months[key] = [...new Set([...(months[key] ?? []), ...c.months])].sort((a, b) => a - b);
    }
    const form = upload.employer_form_json ? (JSON.parse(upload.employer_form_json) as Record<string, string>) : {};
    const snap = await this.params.snapshot();
    const stored = await this.files.open(upload.stored_name);
    try {
      const out = await recomputeOne(
        {
          path: stored.path,
          fileName: upload.file_name,
          beforeJson: check.result_json,
          employerFields: {
            name: employer.name,
            uscc: employer.uscc,
            county: employer.county,
            unitType: employer.unit_type,
            ...form,
          },
          uscc: employer.uscc,
          withheld: { secret: this.secret, months },
          register: await this.register(),
          insurance: await this.insurance(employer.uscc),
        },
        snap.params,
      );
      if (out.status !== 'recomputed') return null;
      // the count the other unit's claim takes first, then the figures it moves
      const before = computedResult(check.result_json)!.annual.avgWeighted,
        after = computedResult(out.resultJson)!.annual.avgWeighted;
      return [{ figure: 'annual.avgWeighted', before, after }, ...out.diff];
    } catch (e) {
      this.log('cross-unit what-if could not read a stored workbook', { check: check.id, error: errorSummary(e) });
      return null;
    } finally {
      await stored.release();
    }
  }
}
