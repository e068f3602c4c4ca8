/** Reduces an exceljs cell value (rich text, formula, hyperlink, error) to a plain Cell. */
import type { Cell } from './fields/result';

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return toCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return null;
  }
  return String(v);
}

export function toCells(values: unknown): Cell[] {
  const arr = Array.isArray(values) ? values : [];
  const out: Cell[] = new Array(arr.length);
  for (let i = 0; i < arr.length; i++) out[i] = toCell(arr[i]);
  return out;
}
