/** An Atom (RFC 4287) feed of published notices, newest first. Only notice metadata, escaped as XML. */
import Handlebars from 'handlebars';

// the views' escaping (its numeric references are valid XML), minus the control characters XML 1.0 forbids
// eslint-disable-next-line no-control-regex -- removes the control characters XML 1.0 forbids
const x = (s: string) => Handlebars.Utils.escapeExpression(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''));

export interface FeedEntry {
  id: number;
  title: string;
  county: string;
  year: number;
  version: number;
  publishedAt: string;
  periodStart: string;
  periodEnd: string;
  replacesId: number | null;
}

export function atomFeed(baseUrl: string, entries: FeedEntry[]): string {
  const updated = entries[0]?.publishedAt ?? '1970-01-01T00:00:00.000Z';
  const items = entries.map((e) => {
    const url = `${baseUrl}/notices/${e.id}`;
    const summary = `${e.county} ${e.year} · 第${e.version}版${e.replacesId ? '（更正）' : ''} · 公示期 ${e.periodStart} 至 ${e.periodEnd}`;
    return `<entry><id>${x(url)}</id><title>${x(e.title)}${e.replacesId ? x('（更正）') : ''}</title><link rel="alternate" type="text/html" href="${x(url)}"/><link rel="enclosure" type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" href="${x(url)}.xlsx"/><updated>${x(e.publishedAt)}</updated><summary>${x(summary)}</summary></entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><id>${x(baseUrl)}/notices</id><title>${x('残疾人按比例就业情况公示')}</title><link rel="self" href="${x(baseUrl)}/notices/feed.atom"/><link rel="alternate" href="${x(baseUrl)}/notices"/><updated>${x(updated)}</updated><author><name>QuotaDesk</name></author>${items.join('')}</feed>\n`;
}
