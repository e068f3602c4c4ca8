/**
 * One person counted by one unit in a month (docs/rules.md §4.2): the disabled employees each stored result counts
 * (by keyed hash, never the ID number), the city-wide search for a person counted by two or more units in the
 * same year, and the officer's decisions on which unit keeps which months.
 */
import type { Knex } from 'knex';
import { readerOf } from '../connection';

type Db = Knex | Knex.Transaction;

export interface CountedPersonRow {
  id: number;
  check_id: string;
  employer_id: number;
  year: number;
  person_key: string;
  row: number;
  masked_name: string;
  weight: number;
  months_mask: number;
  insured_mask: number | null;
  hired: string;
  left: string | null;
  contract_start: string;
  contract_end: string | null;
}

/** A counted person with the unit and the current submission that counts them. */
export interface ClaimRow extends CountedPersonRow {
  submission_id: number | null;
  submission_status: string | null;
  employer_name: string;
  county: string;
}

const num = <T extends Partial<CountedPersonRow>>(r: T): T => ({
  ...r,
  id: Number(r.id),
  employer_id: Number(r.employer_id),
  year: Number(r.year),
  row: Number(r.row),
  weight: Number(r.weight),
  months_mask: Number(r.months_mask),
  insured_mask: r.insured_mask === null || r.insured_mask === undefined ? null : Number(r.insured_mask),
});

export async function insertCountedPersons(db: Db, rows: Omit<CountedPersonRow, 'id'>[]): Promise<void> {
  // a few hundred rows per statement: within SQLite's limit of bound variables
  for (let i = 0; i < rows.length; i += 200) await db('counted_persons').insert(rows.slice(i, i + 200));
}

export const countedPersonsOfCheck = async (db: Db, checkId: string): Promise<CountedPersonRow[]> =>
  (await readerOf(db)('counted_persons').where({ check_id: checkId }).orderBy('row')).map(num);

/** A result computed again: the months it now counts for each person (a person no longer counted is dropped). */
export async function updateCountedMonths(db: Db, checkId: string, monthsByRow: Map<number, number>): Promise<void> {
  for (const r of await db('counted_persons').where({ check_id: checkId }).select('id', 'row')) {
    const mask = monthsByRow.get(Number(r.row)) ?? 0;
    if (mask) await db('counted_persons').where({ id: r.id }).update({ months_mask: mask });
    else await db('counted_persons').where({ id: r.id }).delete();
  }
}

/** The current (not superseded) submission's result of each unit in a year. */
const currentOfYear = (db: Db, year: number) =>
  db('submissions as s').where('s.year', year).whereNull('s.superseded_by_version');

const CLAIM_COLUMNS = [
  'p.*',
  's.id as submission_id',
  's.status as submission_status',
  'e.name as employer_name',
  'e.county as county',
];

/**
 * Every person counted by the current submissions of two or more units in a year, city-wide: their claims, by
 * person key. Months that overlap are found by the caller (a person may be counted by two units in months apart).
 */
export async function claimsCountedTwice(db: Db, year: number): Promise<ClaimRow[]> {
  const r = readerOf(db);
  const twice = r('counted_persons as p')
    .join('submissions as s', 's.check_id', 'p.check_id')
    .where('p.year', year)
    .whereNull('s.superseded_by_version')
    .groupBy('p.person_key')
    .havingRaw('count(distinct p.employer_id) > 1')
    .select('p.person_key');
  const rows = await r('counted_persons as p')
    .join('submissions as s', 's.check_id', 'p.check_id')
    .join('employers as e', 'e.id', 'p.employer_id')
    .where('p.year', year)
    .whereNull('s.superseded_by_version')
    .whereIn('p.person_key', twice)
    .orderBy(['p.person_key', 'p.employer_id'])
    .select(CLAIM_COLUMNS);
  return rows.map(num);
}

/**
 * The other units' current submissions of the year that count any of `keys` (a result being read or reviewed: its
 * own unit left out).
 */
export async function claimsOfKeys(db: Db, year: number, keys: string[], exceptEmployer: number): Promise<ClaimRow[]> {
  const out: ClaimRow[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await readerOf(db)('counted_persons as p')
      .join('submissions as s', 's.check_id', 'p.check_id')
      .join('employers as e', 'e.id', 'p.employer_id')
      .where('p.year', year)
      .whereNull('s.superseded_by_version')
      .whereNot('p.employer_id', exceptEmployer)
      .whereIn('p.person_key', keys.slice(i, i + 500))
      .select(CLAIM_COLUMNS);
    out.push(...rows.map(num));
  }
  return out;
}

export const findCountedPerson = async (db: Db, id: number): Promise<CountedPersonRow | undefined> => {
  const r = await readerOf(db)('counted_persons').where({ id }).first();
  return r && num(r);
};

/** The current submission of a unit and year, if any: its id and result. */
export const currentSubmissionOf = (db: Db, employerId: number, year: number) =>
  currentOfYear(readerOf(db), year)
    .where('s.employer_id', employerId)
    .first('s.id', 's.check_id', 's.status') as Promise<{ id: number; check_id: string; status: string } | undefined>;

export interface DecisionRow {
  id: number;
  year: number;
  person_key: string;
  keeper_employer_id: number;
  other_employer_id: number;
  months_json: string;
  keeper_row: number;
  keeper_masked_name: string;
  other_row: number;
  other_masked_name: string;
  check_id: string | null;
  version: number | null;
  decided_by: number;
  decided_at: string;
}

export async function insertDecision(db: Db, d: Omit<DecisionRow, 'id' | 'decided_at'>): Promise<number> {
  const [id] = await db('cross_unit_decisions')
    .insert({ ...d, decided_at: new Date().toISOString() })
    .returning('id');
  return typeof id === 'object' ? Number((id as { id: number }).id) : Number(id);
}

export const setDecisionVersion = (db: Db, ids: number[], checkId: string, version: number) =>
  db('cross_unit_decisions').whereIn('id', ids).update({ check_id: checkId, version });

/** The decisions of a year that involve a unit (as the one that keeps or the one that gives up months). */
export async function decisionsOfEmployer(
  db: Db,
  year: number,
  employerId: number,
): Promise<(DecisionRow & { keeper_name: string; keeper_county: string; other_name: string; other_county: string })[]> {
  return readerOf(db)('cross_unit_decisions as d')
    .join('employers as k', 'k.id', 'd.keeper_employer_id')
    .join('employers as o', 'o.id', 'd.other_employer_id')
    .where('d.year', year)
    .andWhere((q) => q.where('d.keeper_employer_id', employerId).orWhere('d.other_employer_id', employerId))
    .orderBy('d.id')
    .select(
      'd.*',
      'k.name as keeper_name',
      'k.county as keeper_county',
      'o.name as other_name',
      'o.county as other_county',
    );
}

/** The months a unit gives up in a year, by person key: what its result is computed without. */
export async function withheldMonthsOf(db: Db, year: number, employerId: number): Promise<Record<string, number[]>> {
  const rows: { person_key: string; months_json: string }[] = await readerOf(db)('cross_unit_decisions')
    .where({ year, other_employer_id: employerId })
    .select('person_key', 'months_json');
  const out: Record<string, Set<number>> = {};
  for (const r of rows) for (const m of JSON.parse(r.months_json) as number[]) (out[r.person_key] ??= new Set()).add(m);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
}

/** Every unit's withheld months of a year: employer → person key → months. */
export async function withheldMonthsOfYear(db: Db, year: number): Promise<Map<number, Record<string, number[]>>> {
  const rows: { other_employer_id: number; person_key: string; months_json: string }[] = await readerOf(db)(
    'cross_unit_decisions',
  )
    .where({ year })
    .select('other_employer_id', 'person_key', 'months_json');
  const out = new Map<number, Record<string, number[]>>();
  for (const r of rows) {
    const e = out.get(Number(r.other_employer_id)) ?? {};
    e[r.person_key] = [...new Set([...(e[r.person_key] ?? []), ...(JSON.parse(r.months_json) as number[])])].sort(
      (a, b) => a - b,
    );
    out.set(Number(r.other_employer_id), e);
  }
  return out;
}
