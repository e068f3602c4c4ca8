/**
 * Server-rendered SVG charts (issue #5.5: visible without client script). A horizontal bar chart with the
 * value written at each bar's end, a <title> and <desc> for assistive technology, and escaped labels.
 */
import Handlebars from 'handlebars';

// inline SVG sits in an HTML page: escaped as the views escape (Handlebars)
const x = Handlebars.Utils.escapeExpression;

export interface Bar {
  label: string;
  value: number;
  display: string;
  tone?: 'bad' | 'ok' | 'warn' | 'accent';
}

const TONES = { bad: '#a3161b', ok: '#17693a', warn: '#8a5a00', accent: '#0b5cad' };
let seq = 0;

export function barChart(title: string, bars: readonly Bar[], width = 560): string {
  const id = `chart-${++seq}`;
  const rowH = 28;
  const labelW = 150;
  const valueW = 130;
  const plotW = width - labelW - valueW;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * rowH + 8;
  const desc = bars.map((b) => `${b.label}: ${b.display}`).join('; ');
  const parts = bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * plotW)) : 0;
    return `<text x="${labelW - 8}" y="${y + 18}" text-anchor="end" font-size="13">${x(b.label)}</text>`
      + `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="${TONES[b.tone ?? 'accent']}"/>`
      + `<text x="${labelW + w + 6}" y="${y + 18}" font-size="13">${x(b.display)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${x(title)}</title><desc id="${id}-d">${x(desc)}</desc>${parts.join('')}</svg>`;
}
