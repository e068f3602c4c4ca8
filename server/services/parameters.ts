/**
 * The parameter table in force: the shipped YAML plus the values administrators added (audited).
 * Cached per process and refreshed when any instance adds a value (a stamp read from the database).
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { insertParameterValue, listParameterValues, parameterStamp } from '../../db/stores/parameter-values';
import { buildParameters, loadParameterDefs } from '../params/load-parameters';
import { valueProblems } from '../params/schema';
import type { ParamValue, Parameters } from '../rules/parameters/table';
import { ParameterFileError } from '../rules/parameters/table';
import { isValidISODate } from '../rules/calendar';

export interface NewParameterValue {
  paramId: string;
  key?: string;
  from: string;
  to?: string;
  value: unknown;
  source: string;
}

export interface ParameterSnapshot {
  stamp: string;
  extra: { id: string; value: ParamValue }[];
  params: Parameters;
}

export class ParameterService {
  private readonly defs = loadParameterDefs();
  private cache: ParameterSnapshot | null = null;

  constructor(private readonly db: Knex) {}

  async current(): Promise<Parameters> {
    return (await this.snapshot()).params;
  }

  /** The table with what it was built from: the values administrators added and the stamp that versions them (for the upload workers). */
  async snapshot(): Promise<ParameterSnapshot> {
    const stamp = await parameterStamp(this.db);
    if (this.cache?.stamp === stamp) return this.cache;
    const extra = (await listParameterValues(this.db)).map((r) => ({
      id: r.param_id,
      value: {
        from: r.from,
        ...(r.to ? { to: r.to } : {}),
        ...(r.key !== null ? { key: r.key } : {}),
        value: JSON.parse(r.value_json),
        source: r.source,
      } as ParamValue,
    }));
    this.cache = { stamp, extra, params: buildParameters(this.defs, extra) };
    return this.cache;
  }

  /** Validates the value's shape, its dates and the whole table with it (no overlap), then stores and audits. */
  async add(
    actor: { id: number; username: string },
    v: NewParameterValue,
  ): Promise<{ ok: true } | { ok: false; problems: string[] }> {
    const problems: string[] = [];
    if (!isValidISODate(v.from)) problems.push('from: 不是有效日期 / not a valid date (YYYY-MM-DD)');
    if (v.to && !isValidISODate(v.to)) problems.push('to: 不是有效日期 / not a valid date (YYYY-MM-DD)');
    if (!v.source?.trim()) problems.push('source: 每个值都需要注明来源（文件号） / every value needs its source');
    problems.push(...valueProblems(v.paramId, v.value));
    if (problems.length) return { ok: false, problems };
    const value: ParamValue = {
      from: v.from,
      ...(v.to ? { to: v.to } : {}),
      ...(v.key ? { key: v.key } : {}),
      value: v.value,
      source: v.source.trim(),
    };
    try {
      (await this.current()).withValues([{ id: v.paramId, value }]);
    } catch (e) {
      if (e instanceof ParameterFileError) return { ok: false, problems: e.problems };
      throw e;
    }
    await this.db.transaction(async (trx) => {
      await insertParameterValue(trx, {
        param_id: v.paramId,
        key: v.key || null,
        from: v.from,
        to: v.to || null,
        value_json: JSON.stringify(v.value),
        source: value.source,
        created_by: actor.id,
      });
      await appendAudit(trx, {
        actor: actor.username,
        action: 'parameter.add',
        target: v.paramId,
        detail: { key: v.key ?? null, from: v.from, to: v.to ?? null, value: v.value, source: value.source },
      });
    });
    this.cache = null;
    return { ok: true };
  }
}
