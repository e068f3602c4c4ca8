/** `quota params`: the parameters in force on a date, each with its source. */
import type { Lang } from '../ingest/messages';
import { shippedParameters } from '../params/load-parameters';

export function formatParams(date: string, lang: Lang, json: boolean): string {
  const p = shippedParameters();
  const rows = p.inForce(date).map((v) => {
    const def = p.definition(v.id);
    return {
      id: v.id,
      title: def.title[lang],
      key: v.key ?? null,
      value: v.value,
      from: v.from,
      to: v.to ?? null,
      source: v.source,
      clauses: def.clauses,
    };
  });
  if (json) return JSON.stringify({ date, parameters: rows }, null, 2);
  const head = lang === 'zh' ? `${date} 生效的参数：` : `Parameters in force on ${date}:`;
  return [
    head,
    ...rows.map(
      (r) =>
        `  ${r.title}${r.key ? `［${r.key}］` : ''} = ${JSON.stringify(r.value)}  （自 ${r.from}${r.to ? ` 至 ${r.to}` : ''}；${r.source}）`,
    ),
  ].join('\n');
}
