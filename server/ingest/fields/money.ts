/**
 * Amounts in 元 with at most two decimals → integer 分. Accepts numbers, "5200", "5,200.50",
 * "¥5200", "5200元", full-width digits. Rejects more than two decimals (money is exact, I8).
 */
import { cellText, fail, ok, type Cell, type Parsed } from './result';

/** 10 million 元 a month keeps every sum of 分 far inside the exact range of a double. */
const MAX_MONTHLY_YUAN = 10_000_000;

export function parseMoneyFen(c: Cell, limitYuan = MAX_MONTHLY_YUAN): Parsed<number> {
  let fen: number;
  if (typeof c === 'number') {
    if (!Number.isFinite(c)) return fail('cell/money');
    const scaled = c * 100;
    fen = Math.round(scaled);
    if (Math.abs(scaled - fen) > 1e-6 * Math.max(1, Math.abs(scaled))) return fail('cell/money-decimals');
  } else {
    const s = cellText(c)
      .replace(/[,，\s]/g, '')
      .replace(/^[¥￥]/, '')
      .replace(/元$/, '');
    const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(s);
    if (!m) return fail('cell/money');
    const frac = m[3] ?? '';
    if (frac.replace(/0+$/, '').length > 2) return fail('cell/money-decimals');
    fen = (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number((frac + '00').slice(0, 2)));
  }
  if (fen <= 0) return fail('cell/money-positive');
  if (fen > limitYuan * 100) return fail('cell/money-too-large', { limit: limitYuan });
  return ok(fen);
}
