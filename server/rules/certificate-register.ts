/**
 * docs/rules.md §4.3 — certificates against the 残联's register. CDPF63 一、(二): "残疾人证不在有效期内的，不得计入
 * 用人单位安排残疾人就业人数。残疾人证有效期以残疾人人口基础数据库推送信息为准"; 一、(一) and L72 art. 8: the grade
 * of the certificate decides whether the person counts twice — the register's grade, not the one typed. A 残疾人证
 * number is the holder's ID number and two digits (category, grade), so the register is keyed like the employees:
 * by the caller's keyed hash of the ID number. Pure: the caller gives the register's entries.
 */
import { addDays, type ISODate } from './calendar';
import type { Employee } from './types';

export interface RegisterEntry {
  /** 1 视力 … 7 多重 */
  category: number;
  /** 1–4 */
  grade: number;
  issued: ISODate;
  /** 有效期至; null: no end date */
  validTo: ISODate | null;
  /** 注销 and the date it took effect; null while 正常 */
  cancelledOn: ISODate | null;
}

export interface CertificateRegister {
  keyOf: (e: Employee) => string;
  entries: ReadonlyMap<string, RegisterEntry>;
  /**
   * A certificate not in the city's register (its holder may be registered in another city): 'notice' counts it
   * and says to check it (default, I13), 'exclude' counts it in no month.
   */
  notInRegister?: 'notice' | 'exclude';
}

export type CertificateFinding = 'valid' | 'not-in-register' | 'expired' | 'cancelled' | 'grade-differs';

/** What the register says about one employee's certificate: the findings, and the entry (null when not found). */
export function findCertificate(
  e: Employee,
  register: CertificateRegister,
  /** the last day of the data year: an end after it is no finding for the year */
  yearEnd: ISODate,
): { entry: RegisterEntry | null; findings: { finding: CertificateFinding; from?: ISODate }[] } {
  const entry = register.entries.get(register.keyOf(e)) ?? null;
  if (!entry || !e.cert) return { entry: null, findings: [{ finding: 'not-in-register' }] };
  const out: { finding: CertificateFinding; from?: ISODate }[] = [];
  if (entry.cancelledOn && entry.cancelledOn <= yearEnd) out.push({ finding: 'cancelled', from: entry.cancelledOn });
  if (entry.validTo && entry.validTo < yearEnd) out.push({ finding: 'expired', from: addDays(entry.validTo, 1) });
  if (entry.grade !== e.cert.grade || entry.category !== e.cert.category) out.push({ finding: 'grade-differs' });
  return { entry, findings: out.length ? out : [{ finding: 'valid' }] };
}

/** Does the register let the certificate count on `day`? The reason it does not, or null. */
export function registerRefuses(
  entry: RegisterEntry | null,
  register: CertificateRegister,
  day: ISODate,
): 'certificate-cancelled' | 'certificate-expired' | 'certificate-not-in-register' | null {
  if (!entry) return register.notInRegister === 'exclude' ? 'certificate-not-in-register' : null;
  if (entry.cancelledOn && day >= entry.cancelledOn) return 'certificate-cancelled';
  if (entry.validTo && day > entry.validTo) return 'certificate-expired';
  return null;
}
