/**
 * Exact arithmetic for every rule figure (I8, docs/rules.md §9): rationals over BigInt, so that no division
 * (Σ/12, wageTotal/avgStaff, …) loses precision. Money is rounded half-up to 0.01 元 exactly once,
 * when a figure is reported (`toYuan`), never in between.
 */
export class Q {
  readonly n: bigint;
  readonly d: bigint;

  private constructor(n: bigint, d: bigint) {
    if (d === 0n) throw new RangeError('division by zero');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n < 0n ? -n : n, d);
    this.n = g > 1n ? n / g : n;
    this.d = g > 1n ? d / g : d;
  }

  static readonly ZERO = new Q(0n, 1n);
  static readonly ONE = new Q(1n, 1n);

  static of(n: bigint | number, d: bigint | number = 1n): Q {
    if (typeof n === 'number' && !Number.isInteger(n)) return Q.parse(String(n)).div(Q.of(d));
    return new Q(BigInt(n), BigInt(d));
  }

  /** Parses a plain decimal ("1234.56", "-0.015", "86400"). Throws on anything else. */
  static parse(text: string): Q {
    const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal number: ${text}`);
    const frac = m[3] ?? '';
    const n = BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n);
    return new Q(n, 10n ** BigInt(frac.length));
  }

  static sum(values: Iterable<Q>): Q {
    let acc = Q.ZERO;
    for (const v of values) acc = acc.add(v);
    return acc;
  }

  add(o: Q): Q {
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    return new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q | number): Q {
    const q = o instanceof Q ? o : Q.of(o);
    return new Q(this.n * q.n, this.d * q.d);
  }
  div(o: Q | number): Q {
    const q = o instanceof Q ? o : Q.of(o);
    return new Q(this.n * q.d, this.d * q.n);
  }
  cmp(o: Q): number {
    const l = this.n * o.d,
      r = o.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  lt(o: Q): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Q): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Q): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Q): boolean {
    return this.cmp(o) >= 0;
  }
  eq(o: Q): boolean {
    return this.cmp(o) === 0;
  }
  isZero(): boolean {
    return this.n === 0n;
  }
  max(o: Q): Q {
    return this.ge(o) ? this : o;
  }
  min(o: Q): Q {
    return this.le(o) ? this : o;
  }
  /** ⌊x⌋ */
  floor(): Q {
    const q = this.n / this.d;
    return new Q(this.n < 0n && q * this.d !== this.n ? q - 1n : q, 1n);
  }
  /** ⌈x⌉ */
  ceil(): Q {
    return this.floor().eq(this) ? this : this.floor().add(Q.ONE);
  }
  toNumber(): number {
    return Number(this.n) / Number(this.d);
  }

  /** Rounds half away from zero (half-up for the non-negative amounts we report) to `dp` places. */
  round(dp: number): Q {
    const scale = 10n ** BigInt(dp);
    const scaled = this.n * scale;
    const neg = scaled < 0n;
    const abs = neg ? -scaled : scaled;
    const q = (abs * 2n + this.d) / (2n * this.d);
    return new Q(neg ? -q : q, scale);
  }

  /** Fixed-point text with `dp` decimals after rounding half-up, e.g. "97200.00". */
  toFixed(dp: number): string {
    const r = this.round(dp);
    const scale = 10n ** BigInt(dp);
    const scaled = (r.n * scale) / r.d;
    const neg = scaled < 0n;
    const abs = (neg ? -scaled : scaled).toString().padStart(dp + 1, '0');
    const int = abs.slice(0, abs.length - dp);
    const frac = dp > 0 ? '.' + abs.slice(abs.length - dp) : '';
    return (neg ? '-' : '') + int + frac;
  }

  toString(): string {
    return this.d === 1n ? this.n.toString() : `${this.n}/${this.d}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** The one place money is rounded for output: half-up to 0.01 元, as a JSON number (I8, docs/rules.md §10). */
export function toYuan(amount: Q): number {
  return Number(amount.toFixed(2));
}

/** "97,200.00" — grouped, two decimals, for explanations and text output. */
export function formatYuan(amount: Q): string {
  return group(amount.toFixed(2));
}

/** A count or average with two decimals when it is not whole ("2.25", "120"). */
export function formatCount(x: Q, dp = 2): string {
  if (x.d === 1n) return group(x.n.toString());
  return group(x.toFixed(dp)) + (x.round(dp).eq(x) ? '' : '…');
}

export function formatPercent(x: Q, dp = 2): string {
  const p = x.mul(100);
  const txt = p.d === 1n ? p.n.toString() : p.toFixed(dp).replace(/\.?0+$/, '');
  return `${txt} %`;
}

function group(fixed: string): string {
  const [int, frac] = fixed.split('.');
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac !== undefined ? '.' + frac : '');
}
