/**
 * Server-rendered SVG charts (visible without client script). A horizontal bar chart with the
 * value written at each bar's end, a <title> and <desc> for assistive technology, and escaped labels.
 *
 * Each bar and column chart is drawn twice: for a wide screen, and for a phone (`chart-narrow`, drawn at
 * the width it is shown, labels above their bars, so its text stays at full size). The style sheet shows
 * one of the two by the screen's width.
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

/** The narrow drawing's width: the page's content width on a 390 px phone. */
export const NARROW_WIDTH = 340;
const NARROW_FONT = 14;

/** About how wide a text is drawn (a CJK character is square, a Latin one about 0.6 of the size). */
function textWidth(s: string, size: number): number {
  return [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? size : size * 0.6), 0);
}

const svgOpen = (cls: string, width: number, height: number, id: string, desc: boolean) =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="${cls}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t${desc ? ` ${id}-d` : ''}">`;

/** Bars for a phone: each label on its own line above its bar, the value at the bar's end. */
function narrowBars(title: string, bars: readonly Bar[], desc: string): string {
  const id = `chart-${++seq}`;
  const f = NARROW_FONT;
  const rowH = f + 26;
  const valueW = Math.max(24, ...bars.map((b) => textWidth(b.display, f))) + 8;
  const plotW = NARROW_WIDTH - valueW;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * rowH + 4;
  const parts = bars.map((b, i) => {
    const y = i * rowH;
    const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * plotW)) : 0;
    return (
      `<text x="0" y="${y + f}" font-size="${f}">${x(b.label)}</text>` +
      `<rect x="0" y="${y + f + 6}" width="${w}" height="14" fill="${TONES[b.tone ?? 'accent']}"/>` +
      `<text x="${w + 6}" y="${y + f + 18}" font-size="${f}">${x(b.display)}</text>`
    );
  });
  return `${svgOpen('chart-narrow', NARROW_WIDTH, height, id, true)}<title id="${id}-t">${x(title)}</title><desc id="${id}-d">${x(desc)}</desc>${parts.join('')}</svg>`;
}

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
    return (
      `<text x="${labelW - 8}" y="${y + 18}" text-anchor="end" font-size="13">${x(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="${TONES[b.tone ?? 'accent']}"/>` +
      `<text x="${labelW + w + 6}" y="${y + 18}" font-size="13">${x(b.display)}</text>`
    );
  });
  return (
    `${svgOpen('chart-wide', width, height, id, true)}<title id="${id}-t">${x(title)}</title><desc id="${id}-d">${x(desc)}</desc>${parts.join('')}</svg>` +
    narrowBars(title, bars, desc)
  );
}

/** A progress ring for a share (0–1), the percentage in its middle: the submission rate. */
export function ringChart(title: string, share: number, centre: string, size = 160): string {
  const id = `chart-${++seq}`;
  const r = size / 2 - 14;
  const c = 2 * Math.PI * r;
  const done = Math.max(0, Math.min(1, share)) * c;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-labelledby="${id}-t"><title id="${id}-t">${x(title)}: ${x(centre)}</title>` +
    `<circle cx="${size / 2}" cy="${size / 2}" r="${r}" fill="none" stroke="#d5dae3" stroke-width="14"/>` +
    `<circle cx="${size / 2}" cy="${size / 2}" r="${r}" fill="none" stroke="${TONES.ok}" stroke-width="14" stroke-dasharray="${done.toFixed(2)} ${c.toFixed(2)}" transform="rotate(-90 ${size / 2} ${size / 2})"/>` +
    `<text x="${size / 2}" y="${size / 2 + 8}" text-anchor="middle" font-size="24" font-weight="700">${x(centre)}</text></svg>`
  );
}

export interface Series {
  name: string;
  colour: string;
  values: number[];
  display: string[];
}

/** The value written beside a bar or column: the figure without the unit the caption states. */
const bare = (display: string) => display.replace(/\s*(万元|thousand yuan)$/, '');

/**
 * Columns for a phone, turned on their side: a legend on top, then each category's name on its own line
 * with one bar per series under it, the value at each bar's end.
 */
function narrowColumns(title: string, categories: readonly string[], series: readonly Series[], desc: string): string {
  const id = `chart-${++seq}`;
  const f = NARROW_FONT;
  const barH = 14;
  const parts: string[] = [];
  // the legend, wrapped onto as many lines as it needs
  let lx = 0;
  let ly = 0;
  for (const s of series) {
    const w = 18 + textWidth(s.name, f) + 16;
    if (lx > 0 && lx + w > NARROW_WIDTH) {
      lx = 0;
      ly += f + 8;
    }
    parts.push(
      `<rect x="${lx}" y="${ly + 2}" width="12" height="12" fill="${s.colour}"/><text x="${lx + 18}" y="${ly + f}" font-size="${f}">${x(s.name)}</text>`,
    );
    lx += w;
  }
  let y = ly + f + 14;
  const valueW = Math.max(24, ...series.flatMap((s) => s.display.map((d) => textWidth(bare(d), f)))) + 8;
  const plotW = NARROW_WIDTH - valueW;
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  categories.forEach((cat, i) => {
    parts.push(`<text x="0" y="${y + f}" font-size="${f}" font-weight="600">${x(cat)}</text>`);
    y += f + 6;
    for (const s of series) {
      const w = max > 0 ? Math.max(s.values[i] > 0 ? 2 : 0, Math.round((s.values[i] / max) * plotW)) : 0;
      parts.push(
        `<rect x="0" y="${y}" width="${w}" height="${barH}" fill="${s.colour}"><title>${x(`${cat} ${s.name}: ${s.display[i]}`)}</title></rect>` +
          `<text x="${w + 6}" y="${y + barH - 2}" font-size="${f - 1}">${x(bare(s.display[i]))}</text>`,
      );
      y += barH + 4;
    }
    y += 10;
  });
  const height = y;
  return `${svgOpen('chart-narrow', NARROW_WIDTH, height, id, true)}<title id="${id}-t">${x(title)}</title><desc id="${id}-d">${x(desc)}</desc>${parts.join('')}</svg>`;
}

/** Columns by category (years, counties), one colour per series, with a legend under the plot. */
export function columnChart(
  title: string,
  categories: readonly string[],
  series: readonly Series[],
  width = 560,
): string {
  const id = `chart-${++seq}`;
  const plotH = 180;
  const top = 24;
  const legendH = 26;
  const height = top + plotH + 28 + legendH;
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const groupW = (width - 20) / Math.max(1, categories.length);
  const barW = Math.max(6, Math.min(40, (groupW - 12) / Math.max(1, series.length)));
  const parts: string[] = [
    `<line x1="10" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#8a93a3"/>`,
  ];
  categories.forEach((cat, i) => {
    const gx = 10 + i * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, j) => {
      const h = max > 0 ? Math.round((s.values[i] / max) * plotH) : 0;
      const bx = gx + j * barW;
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${top + plotH - h}" width="${(barW - 2).toFixed(1)}" height="${h}" fill="${s.colour}"><title>${x(`${cat} ${s.name}: ${s.display[i]}`)}</title></rect>`,
      );
      if (categories.length * series.length <= 8)
        parts.push(
          `<text x="${(bx + (barW - 2) / 2).toFixed(1)}" y="${top + plotH - h - 4}" text-anchor="middle" font-size="11">${x(bare(s.display[i]))}</text>`,
        );
    });
    parts.push(
      `<text x="${(10 + i * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle" font-size="12">${x(cat)}</text>`,
    );
  });
  let lx = 10;
  for (const s of series) {
    parts.push(
      `<rect x="${lx}" y="${height - 18}" width="12" height="12" fill="${s.colour}"/><text x="${lx + 16}" y="${height - 8}" font-size="12">${x(s.name)}</text>`,
    );
    lx += 28 + s.name.length * 12;
  }
  const desc = series
    .map((s) => `${s.name}: ${categories.map((c, i) => `${c} ${s.display[i]}`).join(', ')}`)
    .join('; ');
  return (
    `${svgOpen('chart-wide', width, height, id, true)}<title id="${id}-t">${x(title)}</title><desc id="${id}-d">${x(desc)}</desc>${parts.join('')}</svg>` +
    narrowColumns(title, categories, series, desc)
  );
}

/** Distinct colours for series (colour-blind safe Okabe–Ito tones, dark enough for white text beside them). */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00'];
