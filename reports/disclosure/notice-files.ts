/**
 * A published notice as files: .xlsx (streamed, so 10,000 entries stay fast), .csv (UTF-8 with BOM, so
 * Excel opens the Chinese correctly) and open-data .json. Every text cell goes through the formula-injection
 * guard (issue #5.6). Only notice fields are written: no output here can carry personal data.
 */
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { csvField, safeCell } from '../xlsx/safe-cell';
import type { NoticeBody } from './build-notice';
import { header, noticeColumns } from './columns';

type Lang = 'zh' | 'en';

export interface NoticeMeta {
  id: number;
  title: string;
  county: string;
  year: number;
  version: number | null;
  docNo: string | null;
  publisher: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  objectionContact: string | null;
  publishedAt: string | null;
  replacesId: number | null;
  changeNote: string | null;
}

const TOTAL = { zh: '合计', en: 'Total' };
const NUMFMT = { count: '0.00', ratio: '0.00%', money: '#,##0.00' } as const;

export async function writeNoticeXlsx(out: Writable, meta: NoticeMeta, body: NoticeBody, lang: Lang): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'QuotaDesk';
  const cols = noticeColumns(body.amountColumn, lang);
  const ws = wb.addWorksheet(lang === 'en' ? 'Notice' : '公示', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }, views: [{ state: 'frozen', ySplit: 4 }] });
  ws.columns = cols.map((c) => ({ key: c.key, width: c.key === 'name' ? 36 : c.key === 'uscc' ? 22 : c.key === 'note' ? 30 : 12, style: c.kind === 'text' ? {} : { numFmt: c.kind === 'count' && c.key === 'seq' ? '0' : NUMFMT[c.kind] } }));
  ws.getRow(1).values = [safeCell(meta.title)];
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).commit();
  const period = meta.periodStart ? `${lang === 'en' ? 'Notice period' : '公示期'}: ${meta.periodStart} – ${meta.periodEnd}` : '';
  ws.getRow(2).values = [safeCell([meta.docNo ?? '', meta.publisher ?? '', period].filter(Boolean).join('  ·  '))];
  ws.getRow(2).commit();
  ws.getRow(3).values = [safeCell(meta.objectionContact ? `${lang === 'en' ? 'Objections' : '异议受理'}: ${meta.objectionContact}` : '')];
  ws.getRow(3).commit();
  const head = ws.getRow(4);
  head.values = cols.map((c) => header(c, lang));
  head.font = { bold: true };
  head.commit();
  let n = 5;
  for (const s of body.sections) {
    const t = ws.getRow(n++);
    t.values = [safeCell(s.title)];
    t.font = { bold: true };
    t.commit();
    for (const r of s.rows) ws.getRow(n++).values = cols.map((c) => safeCell(c.value(r)));
    const tot = ws.getRow(n++);
    const totals: Record<string, string | number | null> = { name: `${TOTAL[lang]} (${s.totals.employers})`, avgStaff: s.totals.avgStaff, required: s.totals.required, actual: s.totals.actual, amount: s.totals.amount };
    tot.values = cols.map((c) => safeCell(totals[c.key] ?? null));
    tot.font = { bold: true };
    tot.commit();
  }
  ws.commit();
  await wb.commit();
}

export function noticeCsv(body: NoticeBody, lang: Lang): string {
  const cols = noticeColumns(body.amountColumn, lang);
  const lines = [[lang === 'en' ? 'Section' : '类别', ...cols.map((c) => header(c, lang))].map(csvField).join(',')];
  for (const s of body.sections) for (const r of s.rows) lines.push([s.title, ...cols.map((c) => c.value(r))].map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Open data: the notice as published, with stable English keys. */
export function noticeJson(meta: NoticeMeta, body: NoticeBody, replacedById: number | null) {
  return {
    ...meta,
    replacedById,
    amountColumn: body.amountColumn,
    sections: body.sections.map((s) => ({ title: s.title, totals: s.totals, entries: s.rows })),
  };
}
