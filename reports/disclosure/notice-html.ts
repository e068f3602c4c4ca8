/**
 * The notice document as HTML, built directly (a 10,000-entry notice renders well under half a second).
 * The same markup is the public page, its A4 print and the officer's preview. Every string is escaped.
 * Each table scrolls inside its own box on a narrow screen, with a visible hint; the first header row
 * repeats the title on every printed A4 page (a table's thead repeats across pages).
 */
import Handlebars from 'handlebars';
import { t } from '../../server/i18n/t';
import { displayValue } from './columns';
import type { DocTable, NoticeDocument } from './notice-document';

// the views' own escaping (Handlebars), so the markup built here is escaped exactly as every page is
const esc = (s: unknown) => Handlebars.Utils.escapeExpression(String(s ?? ''));

function tableHtml(doc: NoticeDocument, tb: DocTable, label: string): string {
  const out: string[] = [];
  if (tb.heading) out.push(`<h3>${esc(tb.heading)}</h3>`);
  if (!tb.rows.length) {
    out.push(`<p class="empty">${esc(tb.empty)}</p>`);
    return out.join('');
  }
  const cls = (k: string) => (k === 'text' ? `c-${k}` : k === 'code' ? 'c-code' : 'num');
  out.push(
    `<div class="table-wrap" role="region" tabindex="0" aria-label="${esc(label)}"><table class="notice t-${esc(tb.key)}"><thead><tr class="running-head"><th colspan="${tb.columns.length}">${esc(doc.title)}</th></tr><tr>`,
  );
  for (const c of tb.columns) out.push(`<th scope="col" class="${cls(c.kind)}">${esc(c.header)}</th>`);
  out.push('</tr></thead><tbody>');
  tb.rows.forEach((r, i) => {
    out.push(`<tr${tb.flagged[i] ? ' class="flag"' : ''}>`);
    tb.columns.forEach((c, j) =>
      out.push(`<td class="${cls(c.kind)} k-${esc(c.key)}">${esc(displayValue(c.kind, r[j]))}</td>`),
    );
    out.push('</tr>');
  });
  out.push('</tbody>');
  if (tb.total) {
    out.push('<tfoot><tr>');
    tb.columns.forEach((c, j) => {
      const v = tb.total![j];
      out.push(
        j === 0 || (typeof v === 'string' && c.kind === 'text')
          ? `<th scope="row" class="c-text">${esc(v ?? '')}</th>`
          : `<td class="${cls(c.kind)}">${esc(displayValue(c.kind, v))}</td>`,
      );
    });
    out.push('</tr></tfoot>');
  }
  out.push(
    `</table></div><p class="scroll-hint noprint" aria-hidden="true">${esc(t('notice.doc.scrollHint', doc.lang))}</p>`,
  );
  return out.join('');
}

/** The whole document: an <article> that is the notice, on screen and on paper. */
export function noticeDocumentHtml(doc: NoticeDocument): string {
  const out: string[] = [
    `<article class="notice-doc" lang="${doc.lang === 'en' ? 'en' : 'zh-CN'}">`,
    `<header class="doc-head"><h1>${esc(doc.title)}</h1>`,
  ];
  if (doc.edition) out.push(`<p class="doc-edition">${esc(doc.edition)}</p>`);
  if (doc.docNo) out.push(`<p class="doc-no">${esc(doc.docNo)}</p>`);
  out.push('</header>');
  out.push(`<p class="doc-lead">${esc(doc.lead)}</p>`);
  if (doc.correction) {
    out.push(
      `<section class="doc-correction" aria-labelledby="corr-h"><h2 id="corr-h">${esc(t('notice.doc.correctionHeading', doc.lang))}</h2><p>${esc(doc.correction.text)}</p>`,
    );
    if (doc.correction.items.length)
      out.push(`<ul class="change-list">${doc.correction.items.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
    else out.push(`<p class="empty">${esc(t('notice.doc.noChange', doc.lang))}</p>`);
    if (doc.correction.note) out.push(`<p>${esc(t('notice.doc.reason', doc.lang, { note: doc.correction.note }))}</p>`);
    out.push('</section>');
  }
  for (const p of doc.parts) {
    out.push(
      `<section class="doc-part part-${p.key}" aria-labelledby="part-${p.key}"><h2 id="part-${p.key}">${esc(p.heading)}</h2>`,
    );
    for (const tb of p.tables) out.push(tableHtml(doc, tb, tb.heading ?? p.heading));
    out.push('</section>');
  }
  out.push(`<p class="doc-period">${esc(doc.period)}</p>`);
  out.push(
    `<section class="doc-objection" aria-labelledby="obj-h"><h2 id="obj-h">${esc(doc.objection.heading)}</h2>${doc.objection.lines.map((l) => `<p>${esc(l)}</p>`).join('')}</section>`,
  );
  out.push(`<p class="doc-closing">${esc(doc.closing)}</p>`);
  out.push(
    `<div class="doc-sign"><p class="doc-issuer">${esc(doc.issuer)}</p><p class="doc-date">${esc(doc.date)}</p></div>`,
  );
  out.push('</article>');
  return out.join('');
}
