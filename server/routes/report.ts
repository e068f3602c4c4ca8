/** Sends the employer report workbook for a result; shared by the employer and bureau routes. */
import type { Response } from 'express';
import { buildEmployerReport } from '../../reports/employer/report-xlsx';
import { notFound } from '../services/errors';
import type { ResultView } from '../../reports/employer/result-view';
import { sendAsAttachment, XLSX } from './attachment';

export async function sendReportXlsx(res: Response, view: ResultView, lang: 'zh' | 'en'): Promise<void> {
  if (!view.result) throw notFound('no report for a workbook with problems');
  const wb = buildEmployerReport(view, lang, new Date().toISOString());
  const { uscc, year } = view.result.employer;
  sendAsAttachment(
    res,
    XLSX,
    `report-${uscc}-${year}.xlsx`,
    `${lang === 'en' ? 'quota-report' : '按比例就业报告'}-${uscc}-${year}.xlsx`,
  );
  await wb.xlsx.write(res);
  res.end();
}
