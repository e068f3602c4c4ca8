/**
 * A published notice as files: .xlsx (streamed, so 10,000 entries stay fast) laid out as the page — the
 * same document (notice-document.ts) row by row —, .csv (UTF-8 with BOM, so Excel opens the Chinese
 * correctly) and open-data .json. Every text cell goes through the formula-injection guard.
 * Only notice fields are written: no output here can carry personal data.
 */
import type ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { csvField, safeCell } from '../xlsx/safe-cell';
import { noticeEntries, type NoticeBody } from './build-notice';
import { header, rewardColumns, unitColumns, type ColumnKind, type Lang } from './columns';
import type { NoticeDocument } from './notice-document';

/** exceljs, loaded when a workbook is first written: the largest package, kept out of the app's start-up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJS;

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
  contactPerson: string | null;
  telephone: string | null;
  address: string | null;
  officeHours: string | null;
  publishedAt: string | null;
  replacesId: number | null;
  changeNote: string | null;
}

const NUMFMT: Record<ColumnKind, string | undefined> = {
  seq: '0',
  count: '0.00',
  ratio: '0.00%',
  money: '#,##0.00',
  text: undefined,
  code: undefined,
};
const COLS = 11; // the widest table (the unit list)

export async function writeNoticeXlsx(out: Writable, doc: NoticeDocument): Promise<void> {
  const wb = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'QuotaDesk';
  const ws = wb.addWorksheet(doc.lang === 'en' ? 'Notice' : '公示', {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
    },
  });
  ws.columns = Array.from({ length: COLS }, (_, i) => ({
    key: `c${i}`,
    width: [6, 34, 22, 12, 12, 11, 12, 10, 10, 16, 26][i],
  }));
  let n = 1;
  const line = (
    text: string,
    opts: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right'; height?: number } = {},
  ) => {
    const row = ws.getRow(n);
    row.getCell(1).value = safeCell(text);
    row.getCell(1).font = { bold: !!opts.bold, size: opts.size ?? 11 };
    row.getCell(1).alignment = { horizontal: opts.align ?? 'left', vertical: 'middle', wrapText: true };
    if (opts.height) row.height = opts.height;
    ws.mergeCells(n, 1, n, COLS);
    row.commit();
    n++;
  };
  line(doc.title, { bold: true, size: 16, align: 'center', height: 30 });
  if (doc.edition) line(doc.edition, { align: 'center' });
  if (doc.docNo) line(doc.docNo, { align: 'center' });
  line(doc.lead, { height: 48 });
  if (doc.correction) {
    line(doc.correction.text);
    for (const x of doc.correction.items) line(x);
    if (doc.correction.note) line(`${doc.lang === 'en' ? 'Reason' : '更正原因'}：${doc.correction.note}`);
  }
  for (const p of doc.parts) {
    line(p.heading, { bold: true });
    for (const t of p.tables) {
      if (t.heading) line(t.heading, { bold: true });
      if (!t.rows.length) {
        line(t.empty);
        continue;
      }
      const head = ws.getRow(n++);
      t.columns.forEach((c, j) => {
        head.getCell(j + 1).value = c.header;
        head.getCell(j + 1).font = { bold: true };
        head.getCell(j + 1).alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
      });
      head.commit();
      const put = (values: (string | number | null)[], bold = false) => {
        const row = ws.getRow(n++);
        t.columns.forEach((c, j) => {
          const cell = row.getCell(j + 1);
          cell.value = safeCell(values[j]);
          const fmt = NUMFMT[c.kind];
          if (fmt && typeof values[j] === 'number') cell.numFmt = fmt;
          if (bold) cell.font = { bold: true };
          if (c.kind !== 'text' && c.kind !== 'code') cell.alignment = { horizontal: 'right' };
        });
        row.commit();
      };
      for (const r of t.rows) put(r);
      if (t.total) put(t.total, true);
    }
  }
  line(doc.period);
  line(doc.objection.heading, { bold: true });
  for (const l of doc.objection.lines) line(l);
  line(doc.closing);
  n++;
  line(doc.issuer, { align: 'right' });
  line(doc.date, { align: 'right' });
  ws.commit();
  await wb.commit();
}

export function noticeCsv(body: NoticeBody, lang: Lang): string {
  const cols = unitColumns(lang);
  const reward = new Map(body.rewards.rows.map((r) => [r.uscc, r.reward]));
  const rewardHead = header(
    rewardColumns(lang).find((c) => c.key === 'reward')!,
    lang,
  );
  const lines = [
    [lang === 'en' ? 'Group' : '类别', ...cols.map((c) => header(c, lang)), rewardHead].map(csvField).join(','),
  ];
  const group = (k: string) =>
    k === 'public'
      ? lang === 'en'
        ? 'Government bodies, public institutions, state-owned enterprises'
        : '机关、事业单位、国有企业'
      : lang === 'en'
        ? 'Other employers'
        : '其他用人单位';
  for (const s of body.sections)
    for (const r of s.rows)
      lines.push([group(s.kind), ...cols.map((c) => c.value(r)), reward.get(r.uscc) ?? 0].map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Open data: the notice as published, with stable English keys. */
export function noticeJson(meta: NoticeMeta, body: NoticeBody, replacedById: number | null) {
  return {
    ...meta,
    replacedById,
    entries: noticeEntries(body).length,
    sections: body.sections.map((s) => ({ group: s.kind, totals: s.totals, entries: s.rows })),
    rewards: { entries: body.rewards.rows, total: body.rewards.total },
    aggregate: body.aggregate,
  };
}
