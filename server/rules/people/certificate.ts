/**
 * L72 art. 8: "用人单位安排1名持有《中华人民共和国残疾人证》（1至2级）或《中华人民共和国残疾军人证》
 * （1至3级）的人员就业的，按照安排2名残疾人就业计算。" Head counts are unweighted; `weighted` uses this.
 */
import type { WeightRule } from '../parameters/lookup';
import type { Employee } from '../types';

export function holdsValidCertificate(e: Pick<Employee, 'cert' | 'veteranGrade'>, rule: WeightRule): boolean {
  if (e.cert) return true;
  const [lo, hi] = rule.veteranGradeRange;
  return e.veteranGrade !== null && e.veteranGrade >= lo && e.veteranGrade <= hi;
}

export function weightOf(e: Pick<Employee, 'cert' | 'veteranGrade'>, rule: WeightRule): number {
  const severeCert = e.cert !== null && rule.certGrades.includes(e.cert.grade);
  const severeVeteran = e.veteranGrade !== null && rule.veteranGrades.includes(e.veteranGrade);
  return severeCert || severeVeteran ? rule.weight : 1;
}
