/**
 * The social average wage of a data year given by the caller (`--social-average-wage`, `socialAverageWage`
 * on /api/check, or a value an administrator entered): a new parameter table in which that figure — and only
 * it — holds for the year, replacing any configured value covering that year. The table is for evaluating
 * that year. Pure.
 */
import { isoDate } from './calendar';
import { Q } from './money';
import { Parameters, type ParamDef } from './parameters/table';

export function withSocialAverageWage(params: Parameters, year: number, amount: Q, source: string): Parameters {
  if (!amount.gt(Q.ZERO)) throw new RangeError('the social average wage must be a positive amount');
  const from = isoDate(year, 1, 1),
    to = isoDate(year, 12, 31);
  const defs: ParamDef[] = params.definitions().map((d) => {
    if (d.id !== 'social-average-wage') return d;
    const kept = d.values.filter((v) => !(v.from <= to && (v.to ?? '9999-12-31') >= from));
    return { ...d, values: [...kept, { from, to, value: amount.toNumber(), source }] };
  });
  return new Parameters(defs);
}
