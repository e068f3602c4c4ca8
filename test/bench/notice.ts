/**
 * Notice rendering benchmark: a notice of N employers as the public HTML page (build the body,
 * render the tables and the page) and as .xlsx (streamed to a file). Targets at 10,000: HTML ≤ 0.5 s,
 * xlsx ≤ 2 s. Medians of REPEAT runs in this process, after one warm-up.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildNotice, noticeTitle } from '../../reports/disclosure/build-notice';
import { writeNoticeXlsx } from '../../reports/disclosure/notice-files';
import { noticeDocumentHtml } from '../../reports/disclosure/notice-html';
import { noticeDocument } from '../../reports/disclosure/notice-document';
import { render } from '../../server/render/engine';
import { syntheticSources } from './notice-data';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchNotice(sizes: number[], repeat: number): Promise<void> {
  console.log(
    '\nnotice of N employers | HTML page ms (median / max) | HTML KB | xlsx ms (median / max) | xlsx KB | targets at 10k: HTML ≤ 500 ms, xlsx ≤ 2000 ms',
  );
  const dir = mkdtempSync(join(tmpdir(), 'qd-bench-notice-'));
  for (const n of sizes) {
    const sources = syntheticSources(n);
    const title = noticeTitle('海宁市', 2025);
    const html: number[] = [];
    const xlsx: number[] = [];
    let htmlBytes = 0;
    const file = join(dir, `notice-${n}.xlsx`);
    for (let i = 0; i <= repeat; i++) {
      let t0 = performance.now();
      const body = buildNotice(sources);
      const doc = noticeDocument(
        {
          county: '海宁市',
          year: 2025,
          docNo: '海残联〔2026〕1号',
          edition: 1,
          replaces: null,
          change: null,
          changeNote: null,
          periodStart: '2026-12-01',
          periodEnd: '2026-12-07',
          issuedOn: '2026-12-01',
          issuer: {
            issuingBody: '海宁市残联',
            contactPerson: '张老师',
            telephone: '0573-85000000',
            address: '海宁市',
            officeHours: '工作日',
          },
          body,
        },
        'zh',
      );
      const page = render('public/notice', {
        lang: 'zh',
        user: null,
        csrf: '',
        title,
        notice: { id: 1 },
        document: noticeDocumentHtml(doc),
        open: true,
      });
      const ms = performance.now() - t0;
      htmlBytes = Buffer.byteLength(page);
      t0 = performance.now();
      const out = createWriteStream(file);
      await writeNoticeXlsx(out, doc);
      if (!out.writableFinished) await once(out, 'finish');
      const xms = performance.now() - t0;
      if (i > 0) {
        html.push(ms);
        xlsx.push(xms);
      } // the first run warms up
    }
    console.log(
      `${String(n).padStart(21)} | ${`${median(html).toFixed(0)} / ${Math.max(...html).toFixed(0)}`.padStart(28)} | ${(htmlBytes / 1024).toFixed(0).padStart(7)} | ${`${median(xlsx).toFixed(0)} / ${Math.max(...xlsx).toFixed(0)}`.padStart(22)} | ${(statSync(file).size / 1024).toFixed(0).padStart(7)}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
