/**
 * The parameter table in force: the shipped YAML plus the values administrators added (audited).
 * Cached per process and refreshed when any instance adds a value (a stamp read from the database).
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { insertParameterValue, listParameterValues, parameterStamp } from '../../db/stores/parameter-values';
import { buildParameters, loadParameterDefs } from '../params/load-parameters';
import { valueFormProblems } from '../params/form';
import { said, type MessageKey } from '../i18n/t';
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

/** Why a value was refused: the field it concerns and what to do, each in both languages (the page picks one). */
export interface ParameterRefusal {
  field: { zh: string; en: string };
  message: { zh: string; en: string };
}

const refusal = (field: string, message: MessageKey, vars: Record<string, unknown> = {}): ParameterRefusal => ({
  field: said(`bureau.parameters.field.${field}` as MessageKey),
  message: said(message, vars),
});

/** Whether a new value's dates clash with an existing value's of the same key (as the table would refuse). */
function clashes(a: { from: string; to?: string }, b: { from: string; to?: string }): boolean {
  if (a.from === b.from) return true;
  const [first, next] = a.from < b.from ? [a, b] : [b, a];
  return first.to !== undefined && first.to >= next.from;
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

  /**
   * Validates the value's shape (the parameter files' schema), its dates and the whole table with it (no
   * overlap), then stores and audits. A refusal names the field and what to do, in both languages.
   */
  async add(
    actor: { id: number; username: string },
    v: NewParameterValue,
  ): Promise<{ ok: true } | { ok: false; problems: ParameterRefusal[] }> {
    const problems: ParameterRefusal[] = [];
    if (!isValidISODate(v.from)) problems.push(refusal('from', 'bureau.parameters.err.date'));
    if (v.to && !isValidISODate(v.to)) problems.push(refusal('to', 'bureau.parameters.err.date'));
    else if (v.to && isValidISODate(v.from) && v.to < v.from)
      problems.push(refusal('to', 'bureau.parameters.err.toBeforeFrom'));
    if (!v.source?.trim()) problems.push(refusal('source', 'bureau.parameters.err.source'));
    const [zh, en] = [valueFormProblems(v.paramId, v.value, 'zh'), valueFormProblems(v.paramId, v.value, 'en')];
    problems.push(
      ...zh.map((p, i) => ({ field: { zh: p.field, en: en[i].field }, message: { zh: p.message, en: en[i].message } })),
    );
    if (problems.length) return { ok: false, problems };
    const p = await this.current();
    const clash = p
      .definition(v.paramId)
      .values.find((x) => (x.key ?? '') === (v.key ?? '') && clashes(x, { from: v.from, to: v.to }));
    if (clash) return { ok: false, problems: [refusal('from', 'bureau.parameters.err.overlap', { from: clash.from })] };
    const value: ParamValue = {
      from: v.from,
      ...(v.to ? { to: v.to } : {}),
      ...(v.key ? { key: v.key } : {}),
      value: v.value,
      source: v.source.trim(),
    };
    try {
      p.withValues([{ id: v.paramId, value }]);
    } catch (e) {
      if (e instanceof ParameterFileError)
        return { ok: false, problems: [refusal('from', 'bureau.parameters.err.table')] };
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
