/**
 * What the recompute tests set up: employer A's short roster of a year, checked and stored (its levy
 * provisional until the year's social average wage is entered), and the entry of that wage.
 */
import { join } from 'node:path';
import { findCheckByUpload } from '../../db/stores/checks';
import { findEmployerByUscc } from '../../db/stores/employers';
import type { TestApp } from './app';
import { writeRosterWorkbook } from './fixtures';

export const employerA = async (t: TestApp) => (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;

/** Employer A's short roster of `year` uploaded as `name` and processed; its stored result. */
export async function shortRosterChecked(t: TestApp, year: number, name: string) {
  const a = await employerA(t);
  const file = join(t.dataDir, name);
  await writeRosterWorkbook(file, a, 'short', year);
  const up = await t.services.uploads.receive({ id: 1, username: 'employer.a' }, a, file, name, 1);
  await t.services.uploads.process(up, a);
  return (await findCheckByUpload(t.db, up))!;
}

/** The administrator enters the year's social average wage, as the wage form does. */
export const enterWage = (t: TestApp, admin: { id: number; username: string }, year: number, value = 30000) =>
  t.services.params.add(admin, {
    paramId: 'social-average-wage',
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    value,
    source: '测试值',
  });
