/**
 * Dated parameters (docs/rules.md §2, §8). Each value holds from its `from` date until
 * the next value's `from` (or its own `to`), and carries its source. Pure: the YAML files are read at
 * the edge (server/params/load-parameters.ts) and handed here as plain objects.
 *
 * Catala's rule: computing for a date the law has not been encoded for is an error, never a silent 0 —
 * `at()` throws MissingParameterError; `maybeAt()` is for windows that legitimately close (L98).
 */
import { isValidISODate, type ISODate } from '../calendar';
import type { ClauseId } from '../clauses';
import type { ParameterValues, ParamId } from './values';

export interface ParamValue<T = unknown> {
  from: ISODate;
  to?: ISODate;
  key?: string;
  value: T;
  source: string;
  note?: string;
}

export interface ParamDef {
  id: string;
  title: { zh: string; en: string };
  clauses: ClauseId[];
  unit?: string;
  /** The name of the key values are split by ('county', 'tier'), if any. */
  keyedBy?: string;
  values: ParamValue[];
}

export interface InForce<T> extends ParamValue<T> {
  id: string;
}

export class MissingParameterError extends Error {
  constructor(
    readonly paramId: string,
    readonly date: ISODate,
    readonly key?: string,
  ) {
    super(
      `参数 ${paramId}${key ? `（${key}）` : ''} 在 ${date} 没有生效值 / parameter ${paramId}${key ? ` [${key}]` : ''} is not configured for ${date}`,
    );
    this.name = 'MissingParameterError';
  }
}

export class ParameterFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`parameter tables are invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'ParameterFileError';
  }
}

export class Parameters {
  private readonly byId = new Map<string, ParamDef>();
  /** id → key ('' when unkeyed) → values sorted by `from`. */
  private readonly series = new Map<string, Map<string, ParamValue[]>>();

  constructor(defs: ParamDef[], requiredKeys: Record<string, readonly string[]> = {}) {
    const problems: string[] = [];
    for (const def of defs) {
      if (this.byId.has(def.id)) problems.push(`${def.id}: defined twice`);
      this.byId.set(def.id, def);
      const perKey = new Map<string, ParamValue[]>();
      for (const v of def.values) {
        const where = `${def.id}${v.key !== undefined ? `[${v.key}]` : ''} from ${v.from}`;
        if (!isValidISODate(v.from)) problems.push(`${where}: 'from' is not a date (YYYY-MM-DD)`);
        if (v.to !== undefined && (!isValidISODate(v.to) || v.to < v.from))
          problems.push(`${where}: 'to' must be a date on or after 'from'`);
        if (!v.source || !v.source.trim()) problems.push(`${where}: every value needs a source`);
        if (def.keyedBy && v.key === undefined) problems.push(`${where}: missing ${def.keyedBy}`);
        if (!def.keyedBy && v.key !== undefined) problems.push(`${where}: this parameter is not keyed`);
        const k = v.key ?? '';
        if (!perKey.has(k)) perKey.set(k, []);
        perKey.get(k)!.push(v);
      }
      for (const [k, list] of perKey) {
        list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
        for (let i = 1; i < list.length; i++) {
          const prev = list[i - 1],
            cur = list[i];
          if (prev.from === cur.from) problems.push(`${def.id}${k ? `[${k}]` : ''}: two values from ${cur.from}`);
          else if (prev.to !== undefined && prev.to >= cur.from)
            problems.push(
              `${def.id}${k ? `[${k}]` : ''}: value from ${prev.from} (to ${prev.to}) overlaps the value from ${cur.from}`,
            );
        }
      }
      this.series.set(def.id, perKey);
    }
    for (const [id, keys] of Object.entries(requiredKeys)) {
      const perKey = this.series.get(id);
      if (!perKey) {
        problems.push(`${id}: missing parameter`);
        continue;
      }
      for (const k of keys)
        if (!perKey.has(k)) problems.push(`${id}: no value for ${this.byId.get(id)?.keyedBy ?? 'key'} ${k}`);
    }
    if (problems.length) throw new ParameterFileError(problems);
  }

  definitions(): ParamDef[] {
    return [...this.byId.values()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  definition(id: string): ParamDef {
    const d = this.byId.get(id);
    if (!d) throw new MissingParameterError(id, '—');
    return d;
  }

  /** The value of `id` in force on `date` (its type is the one `id` names), or null. */
  maybeAt<K extends ParamId>(id: K, date: ISODate, key?: string): InForce<ParameterValues[K]> | null {
    return this.valueAt(id, date, key) as InForce<ParameterValues[K]> | null;
  }

  private valueAt(id: string, date: ISODate, key?: string): Readonly<InForce<unknown>> | null {
    // the table never changes, and a check asks for the same few values many times (every month, every
    // employee): each answer is kept, frozen, so no caller can change what the next one reads
    const k = `${id}\u0000${key ?? ''}\u0000${date}`;
    let v = this.answers.get(k);
    if (v === undefined) {
      v = this.lookUp(id, date, key);
      // a check asks for a few dates; a caller asking for every day of a century does not grow it without end
      if (this.answers.size < 50_000) this.answers.set(k, v);
    }
    return v;
  }

  private readonly answers = new Map<string, Readonly<InForce<unknown>> | null>();

  private lookUp(id: string, date: ISODate, key?: string): Readonly<InForce<unknown>> | null {
    const list = this.series.get(id)?.get(key ?? '');
    if (!list) return null;
    let hit: ParamValue | null = null;
    for (const v of list) {
      if (v.from <= date) hit = v;
      else break;
    }
    if (!hit || (hit.to !== undefined && hit.to < date)) return null;
    return Object.freeze({ ...hit, id });
  }

  /** The value of `id` in force on `date`; throws MissingParameterError when none is. */
  at<K extends ParamId>(id: K, date: ISODate, key?: string): InForce<ParameterValues[K]> {
    const v = this.maybeAt(id, date, key);
    if (!v) throw new MissingParameterError(id, date, key);
    return v;
  }

  /** Every value in force on `date` (for `quota params` and the parameters page). */
  inForce(date: ISODate): InForce<unknown>[] {
    const out: InForce<unknown>[] = [];
    for (const [id, perKey] of this.series) {
      for (const k of perKey.keys()) {
        const v = this.valueAt(id, date, k || undefined);
        if (v) out.push(v);
      }
    }
    return out;
  }

  /** A new table with extra values (e.g. an administrator's new minimum wage), re-validated. */
  withValues(
    extra: { id: string; value: ParamValue }[],
    requiredKeys: Record<string, readonly string[]> = {},
  ): Parameters {
    const defs = this.definitions().map((d) => ({ ...d, values: [...d.values] }));
    for (const e of extra) {
      const def = defs.find((d) => d.id === e.id);
      if (!def) throw new ParameterFileError([`${e.id}: unknown parameter`]);
      def.values.push(e.value);
    }
    return new Parameters(defs, requiredKeys);
  }

  /** Latest `from` year among the values of `id` (the minimum wage bounds the supported years). */
  latestFromYear(id: string): number {
    let max = 0;
    for (const list of this.series.get(id)?.values() ?? [])
      for (const v of list) max = Math.max(max, +v.from.slice(0, 4));
    return max;
  }
}
