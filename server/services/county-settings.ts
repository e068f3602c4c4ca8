/**
 * Each county's notice settings (docs/rules.md §16): the issuing body (落款) and the objection contact. The
 * administrator fills them in; every change is audited. A notice is published only with all of them set.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { findCountySettings, listCountySettings, putCountySettings } from '../../db/stores/county-settings';
import { ISSUER_FIELDS, ISSUER_LABELS, type Issuer } from '../../reports/disclosure/notice-document';
import { COUNTIES } from '../rules/types';
import { isTelephone } from './contact';
import { said, t } from '../i18n/t';

const MAX: Record<keyof Issuer, number> = {
  issuingBody: 200,
  contactPerson: 100,
  telephone: 100,
  address: 200,
  officeHours: 200,
};

export async function countyIssuer(db: Knex, county: string): Promise<Partial<Issuer>> {
  const r = await findCountySettings(db, county);
  return r
    ? {
        issuingBody: r.issuing_body,
        contactPerson: r.contact_person,
        telephone: r.telephone,
        address: r.address,
        officeHours: r.office_hours,
      }
    : {};
}

export async function allCountySettings(
  db: Knex,
): Promise<{ county: string; issuer: Partial<Issuer>; updatedAt: string | null }[]> {
  const rows = new Map((await listCountySettings(db)).map((r) => [r.county, r]));
  return COUNTIES.map((county) => {
    const r = rows.get(county);
    return {
      county,
      issuer: r
        ? {
            issuingBody: r.issuing_body,
            contactPerson: r.contact_person,
            telephone: r.telephone,
            address: r.address,
            officeHours: r.office_hours,
          }
        : {},
      updatedAt: r?.updated_at ?? null,
    };
  });
}

export interface FieldProblem {
  field: keyof Issuer | 'county';
  zh: string;
  en: string;
}

/** Checks and saves a county's settings; returns the problems (each naming its field) instead when there are any. */
export async function saveCountySettings(
  db: Knex,
  user: { id: number; username: string },
  county: string,
  form: Record<string, unknown>,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (!(COUNTIES as readonly string[]).includes(county))
    problems.push({ field: 'county', ...said('error.county.choose') });
  const v = Object.fromEntries(ISSUER_FIELDS.map((f) => [f, String(form[f] ?? '').trim()])) as unknown as Issuer;
  for (const f of ISSUER_FIELDS) {
    const l = ISSUER_LABELS[f];
    if (!v[f])
      problems.push({
        field: f,
        zh: t('error.county.required', 'zh', { label: l.zh }),
        en: t('error.county.required', 'en', { label: l.en.toLowerCase() }),
      });
    else if (v[f].length > MAX[f])
      problems.push({
        field: f,
        zh: t('error.county.too-long', 'zh', { label: l.zh, max: MAX[f] }),
        en: t('error.county.too-long', 'en', { label: l.en.toLowerCase(), max: MAX[f] }),
      });
  }
  if (v.telephone && !isTelephone(v.telephone))
    problems.push({ field: 'telephone', ...said('error.county.telephone') });
  if (problems.length) return problems;
  await db.transaction(async (trx) => {
    await putCountySettings(trx, {
      county,
      issuing_body: v.issuingBody,
      contact_person: v.contactPerson,
      telephone: v.telephone,
      address: v.address,
      office_hours: v.officeHours,
      updated_by: user.id,
    });
    await appendAudit(trx, {
      actor: user.username,
      action: 'county-settings.saved',
      target: `county:${county}`,
      detail: { county, issuingBody: v.issuingBody },
    });
  });
  return [];
}
