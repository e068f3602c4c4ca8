/**
 * The 公示 as an official document (UX.md §3), built once and rendered by every format — the web page, its
 * A4 print and the .xlsx — so they cannot say different things. Pure.
 *
 * Its parts, in order: title (county + data year + subject); the edition, on a correction only; the document
 * number on its own line; a lead citing 《嘉兴市人民政府关于加快推进残疾人全面小康进程的实施办法》（嘉政发〔2016〕46号）
 * 三、（二）, which asks each county to publish how employers meet the quota (J3.2), and naming the data year;
 * the county aggregate by unit type as the summary; the list of units with their quota status and the levy;
 * the separate 超比例安排残疾人就业奖励 list; 公示时间 in Chinese dates with the day count; how to object
 * (contact person, telephone, address, office hours; in writing, with real name and evidence); 特此公示。;
 * the issuing body and the Chinese date at the bottom right, with room for the seal. The issuing body and
 * the contact are the county's settings: nothing here is invented, a missing one is reported in `missing`.
 */
import { noticeEntries, type NoticeBody } from './build-notice';
import {
  aggregateColumns,
  displayValue,
  header,
  rewardColumns,
  unitColumns,
  type CellValue,
  type Column,
  type ColumnKind,
  type Lang,
} from './columns';
import { COMPARED_FIELDS, type NoticeChange } from './notice-diff';
import { officialDate } from '../../server/i18n/format';
import { hasMessage, t } from '../../server/i18n/t';

/** The policy every notice cites (J3.2): its real title, number and the clause. */
const POLICY = {
  title: '嘉兴市人民政府关于加快推进残疾人全面小康进程的实施办法',
  number: '嘉政发〔2016〕46号',
  quote: '县（市、区）要建立按比例安置残疾人就业公示制度',
} as const;

export interface Issuer {
  issuingBody: string;
  contactPerson: string;
  telephone: string;
  address: string;
  officeHours: string;
}
export const ISSUER_FIELDS = ['issuingBody', 'contactPerson', 'telephone', 'address', 'officeHours'] as const;
export const ISSUER_LABELS: Record<keyof Issuer, { zh: string; en: string }> = Object.fromEntries(
  ISSUER_FIELDS.map((f) => [f, { zh: t(`notice.issuer.${f}`, 'zh'), en: t(`notice.issuer.${f}`, 'en') }]),
) as Record<keyof Issuer, { zh: string; en: string }>;

export interface NoticeDocInput {
  county: string;
  year: number;
  docNo: string | null;
  /** the edition this document is or will be; shown only on a correction */
  edition: number | null;
  replaces: { version: number; docNo: string | null; publishedOn: string | null } | null;
  change: NoticeChange | null;
  changeNote: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  /** the date in the 落款: the day of publication (Beijing), or today for a draft */
  issuedOn: string;
  issuer: Partial<Issuer>;
  body: NoticeBody;
}

export interface DocTable {
  key: string;
  heading: string | null;
  columns: { key: string; header: string; kind: ColumnKind }[];
  rows: CellValue[][];
  /** rows to highlight (a public-sector unit with no disabled employee) */
  flagged: boolean[];
  total: CellValue[] | null;
  empty: string;
}

export interface DocPart {
  key: 'aggregate' | 'units' | 'rewards';
  heading: string;
  tables: DocTable[];
}

export interface NoticeDocument {
  lang: Lang;
  title: string;
  edition: string | null;
  docNo: string | null;
  lead: string;
  correction: { text: string; items: string[]; note: string | null } | null;
  parts: DocPart[];
  period: string;
  objection: { heading: string; lines: string[] };
  closing: string;
  issuer: string;
  date: string;
  /** issuer fields the county has not set, by their label */
  missing: string[];
}

/** An official document's date: 2026年11月29日 (English: 29 November 2026). No clock time. */
export const documentDate = (iso: string, lang: Lang) => officialDate(iso.slice(0, 10), lang);

/** Days from start to end, both included. */
export function dayCount(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

const place = (name: string, lang: Lang) =>
  lang === 'en' && hasMessage(`place.${name}`) ? t(`place.${name}`, lang) : name;

function noticeDocTitle(county: string, year: number, lang: Lang): string {
  return t('notice.doc.title', lang, { county: place(county, lang), year });
}

function table<T>(
  key: string,
  heading: string | null,
  cols: Column<T>[],
  rows: T[],
  lang: Lang,
  total: Record<string, CellValue> | null,
  empty: string,
  flag: (r: T) => boolean = () => false,
): DocTable {
  return {
    key,
    heading,
    empty,
    columns: cols.map((c) => ({ key: c.key, header: header(c, lang), kind: c.kind })),
    rows: rows.map((r) => cols.map((c) => c.value(r))),
    flagged: rows.map(flag),
    total: total && rows.length ? cols.map((c) => total[c.key] ?? null) : null,
  };
}

const FIELD_LABEL = (lang: Lang): Record<(typeof COMPARED_FIELDS)[number], string> => {
  const u: Record<string, string> = {};
  for (const c of unitColumns(lang)) u[c.key] = header(c, lang);
  for (const c of rewardColumns(lang)) u[c.key] = header(c, lang);
  return {
    name: u.name,
    unitType: u.unitType,
    avgStaff: u.avgStaff,
    required: u.required,
    actual: u.actual,
    ratio: u.ratio,
    status: u.status,
    levy: u.levy,
    reward: u.reward,
  };
};
const KIND: Record<(typeof COMPARED_FIELDS)[number], ColumnKind> = {
  name: 'text',
  unitType: 'text',
  avgStaff: 'count',
  required: 'count',
  actual: 'count',
  ratio: 'ratio',
  status: 'text',
  levy: 'money',
  reward: 'money',
};

function changeItems(c: NoticeChange, lang: Lang): string[] {
  const labels = FIELD_LABEL(lang);
  const who = (x: { name: string; uscc: string }) => t('notice.doc.who', lang, x);
  // a field of an older notice (its one amount column) is shown as an amount
  const field = (f: { field: string; before: unknown; after: unknown }) => {
    const k = f.field as keyof typeof KIND;
    return `${labels[k] ?? t('notice.doc.amount', lang)} ${displayValue(KIND[k] ?? 'money', f.before as CellValue)} → ${displayValue(KIND[k] ?? 'money', f.after as CellValue)}`;
  };
  return [
    ...c.added.map((x) => t('notice.doc.added', lang, { who: who(x) })),
    ...c.removed.map((x) => t('notice.doc.removed', lang, { who: who(x) })),
    ...c.changed.map((x) =>
      t('notice.doc.changed', lang, { who: who(x), fields: x.fields.map(field).join(t('notice.doc.fieldSep', lang)) }),
    ),
  ];
}

export function noticeDocument(i: NoticeDocInput, lang: Lang): NoticeDocument {
  const tx = (key: string, vars: Record<string, unknown> = {}) => t(key, lang, vars);
  const b = i.body;
  const entries = noticeEntries(b).length;
  const label = (f: keyof Issuer) => tx(`notice.issuer.${f}`);
  const missing = ISSUER_FIELDS.filter((f) => !i.issuer[f]?.trim()).map(label);
  const value = (f: keyof Issuer) => i.issuer[f]?.trim() || tx('notice.doc.unset', { field: label(f) });
  const count = (n: number) => tx('notice.doc.count', { n });

  const unitTotal = (s: NoticeBody['sections'][number]) => ({
    name: tx('notice.doc.total', { count: count(s.totals.employers) }),
    avgStaff: s.totals.avgStaff,
    required: s.totals.required,
    actual: s.totals.actual,
    levy: s.totals.levy,
  });
  const parts: DocPart[] = [
    {
      key: 'aggregate',
      heading: tx('notice.doc.part.aggregate'),
      tables: [
        table(
          'aggregate',
          null,
          aggregateColumns(lang),
          b.aggregate.rows,
          lang,
          { category: tx('notice.doc.totalPlain'), ...b.aggregate.total },
          tx('notice.doc.noUnits'),
        ),
      ],
    },
    {
      key: 'units',
      heading: tx('notice.doc.part.units'),
      tables: b.sections.map((s) =>
        table(
          `units-${s.kind}`,
          tx(`notice.doc.group.${s.kind}`, { count: count(s.rows.length) }),
          unitColumns(lang),
          s.rows,
          lang,
          unitTotal(s),
          tx('notice.doc.emptyGroup'),
          (r) => r.flagNoDisabled,
        ),
      ),
    },
    {
      key: 'rewards',
      heading: tx('notice.doc.part.rewards'),
      tables: [
        table(
          'rewards',
          null,
          rewardColumns(lang),
          b.rewards.rows,
          lang,
          { name: tx('notice.doc.total', { count: count(b.rewards.rows.length) }), reward: b.rewards.total },
          tx('notice.doc.noRewards', { year: i.year }),
        ),
      ],
    },
  ];

  const period =
    i.periodStart && i.periodEnd
      ? tx('notice.doc.period', {
          start: documentDate(i.periodStart, lang),
          end: documentDate(i.periodEnd, lang),
          days: dayCount(i.periodStart, i.periodEnd),
        })
      : tx('notice.doc.periodUnset');

  const correction = i.replaces
    ? {
        text: tx('notice.doc.correction', {
          version: i.replaces.version,
          docNo: i.replaces.docNo ?? '',
          date: i.replaces.publishedOn ? documentDate(i.replaces.publishedOn, lang) : '',
        }),
        items: i.change ? changeItems(i.change, lang) : [],
        note: i.changeNote,
      }
    : null;

  return {
    lang,
    title: noticeDocTitle(i.county, i.year, lang),
    edition: i.replaces && i.edition ? tx('notice.doc.edition', { n: i.edition }) : null,
    docNo: i.docNo?.trim() || null,
    lead: tx('notice.doc.lead', {
      policy: POLICY.title,
      number: POLICY.number,
      clause: tx('notice.doc.clause'),
      quote: POLICY.quote,
      county: place(i.county, lang),
      year: i.year,
      count: count(entries),
    }),
    correction,
    parts,
    period,
    objection: {
      heading: tx('notice.doc.objectionHeading'),
      lines: [
        tx('notice.doc.objectionHow'),
        tx('notice.doc.contactPerson', { v: value('contactPerson') }),
        tx('notice.doc.telephone', { v: value('telephone') }),
        tx('notice.doc.address', { v: value('address') }),
        tx('notice.doc.officeHours', { v: value('officeHours') }),
      ],
    },
    closing: tx('notice.doc.closing'),
    issuer: value('issuingBody'),
    date: documentDate(i.issuedOn, lang),
    missing,
  };
}
