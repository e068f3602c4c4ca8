/**
 * The prefill of 《残疾人就业保障金缴费申报表》, columns 4–12 (docs/rules.md §12; docs/rules.md §10):
 *   col4  上年在职职工工资总额       = annual.wageTotal
 *   col5  上年在职职工人数           = annual.avgStaff (fractional annual figure)
 *   col6  应安排残疾人就业比例       = quota.ratio
 *   col7  上年实际安排残疾人就业人数 = annual.avgWeighted (the verified months converted to annual persons, weights applied)
 *   col8  上年在职职工年平均工资     = annual.wageBase (col4 ÷ col5, capped — L18, L39)
 *   col9  本期应纳费额               = levy.full = max(0, col5 × col6 − col7) × col8
 *   col10 本期减免费额               = col9 − levy.payable (the L98 reduction or the exemption), with its code
 *   col11 本期已缴费额               = already paid (0 unless given)
 *   col12 本期应补（退）费额         = col9 − col10 − col11
 * Money is whole fen. col9 and levy.payable are each rounded once (I8); col10 is their difference in fen, so
 * the form's own arithmetic (col12 = col9 − col10 − col11) holds to the fen and col12 = levy.payable when
 * nothing was paid. The reduction code comes from the data table `tax-reduction-codes` (second-hand; configurable).
 */
import type { ISODate } from './calendar';
import type { Figures } from './evaluate';
import { wordsNumber, type Explainer } from './figure';
import { formatCount, formatPercent, formatYuan, Q } from './money';
import { taxReductionCodes, type ReductionReason } from './parameters/lookup';
import type { Parameters } from './parameters/table';

export interface TaxForm {
  col4: Q;
  col5: Q;
  col6: Q;
  col7: Q;
  col8: Q;
  col9: Q;
  col10: Q;
  col11: Q;
  col12: Q;
  reduction: ReductionReason | null;
  reductionCode: string | null;
  /** col8–col10 and col12 rest on an unchecked wage cap (no social average wage for the year). */
  provisional: boolean;
}

/** Rounds to whole fen once (I8) and returns the amount in 元 as an exact rational. */
const fen = (x: Q) => Q.parse(x.toFixed(2));

export function computeTaxForm(
  f: Figures,
  params: Parameters,
  collectionDate: ISODate,
  alreadyPaid: Q,
  provisional: boolean,
  ex: Explainer,
): TaxForm {
  const col4 = fen(f.annual.wageTotal);
  const col5 = f.annual.avgStaff;
  const col6 = f.quota.ratio;
  const col7 = f.annual.avgWeighted;
  const col8 = fen(f.levy.wageBase);
  const col9 = fen(f.levy.full);
  const payable = fen(f.levy.payable);
  const col10 = col9.sub(payable);
  const col11 = fen(alreadyPaid);
  const col12 = col9.sub(col10).sub(col11);

  let reduction: ReductionReason | null = null;
  if (col10.gt(Q.ZERO)) reduction = f.levy.exemption ?? 'tiered-reduction';
  const codes = taxReductionCodes(params, collectionDate);
  const reductionCode = reduction && codes ? codes.value[reduction] : null;

  const note = provisional ? { note: 'provisional: wage cap not checked' } : {};
  const n = wordsNumber;
  ex.explain('taxForm.col4', 'annual.wageTotal', '', formatYuan(col4), ['L72'], {
    interpretations: ['I8'],
    words: { case: 'wageTotal', values: { result: n(col4) } },
  });
  ex.explain('taxForm.col5', 'annual.avgStaff = Σ staff(m) / 12', '', formatCount(col5, 4), ['L72'], {
    words: { case: 'avgStaff', values: { sum: n(col5.mul(Q.of(12))), result: n(col5) } },
  });
  ex.explain('taxForm.col6', 'quota.ratio', '', formatPercent(col6), ['ZJ'], {
    words: { case: 'ratio', values: { result: n(col6) } },
  });
  ex.explain('taxForm.col7', 'annual.avgWeighted = Σ weighted(m) / 12', '', formatCount(col7, 4), ['L72'], {
    words: { case: 'avgWeighted', values: { sum: n(col7.mul(Q.of(12))), result: n(col7) } },
  });
  ex.explain(
    'taxForm.col8',
    'min(col4 ÷ col5, cap × socialAvgWage) = annual.wageBase',
    '',
    formatYuan(col8),
    ['L72', 'L18', 'L39'],
    {
      interpretations: ['I8'],
      ...note,
      words: {
        case: provisional ? 'provisional' : 'wageBase',
        values: { col4: n(col4), col5: n(col5), avgWage: n(f.annual.avgWage), result: n(col8) },
      },
    },
  );
  ex.explain(
    'taxForm.col9',
    'max(0, col5 × col6 − col7) × col8 = levy.full',
    `max(0, ${formatCount(col5, 4)} × ${formatPercent(col6)} − ${formatCount(col7, 4)}) × ${formatYuan(f.levy.wageBase)}`,
    formatYuan(col9),
    ['L72'],
    {
      interpretations: ['I2', 'I8'],
      ...note,
      words: {
        case: col9.isZero() ? 'none' : 'product',
        // col8 as computed, not as rounded for the form: col9 is that product, rounded once (I8)
        values: {
          avgStaff: n(col5),
          ratio: n(col6),
          avgWeighted: n(col7),
          wageBase: n(f.levy.wageBase),
          result: n(col9),
        },
      },
    },
  );
  ex.explain(
    'taxForm.col10',
    'col9 − levy.payable',
    `${formatYuan(col9)} − ${formatYuan(payable)}`,
    formatYuan(col10),
    reduction === 'startup-small-micro'
      ? ['L122', 'J3.2']
      : reduction === 'small-enterprise'
        ? ['L18', 'L98']
        : ['L98'],
    {
      ...(codes ? { sources: [codes.source] } : {}),
      note: reduction ? `${reduction}${reductionCode ? ` ${reductionCode}` : ''}` : undefined,
      words: { case: 'difference', values: { col9: n(col9), payable: n(payable), result: n(col10) } },
    },
  );
  ex.explain('taxForm.col11', 'already paid', '', formatYuan(col11), ['L72'], {
    words: { case: 'paid', values: { result: n(col11) } },
  });
  ex.explain(
    'taxForm.col12',
    'col9 − col10 − col11',
    `${formatYuan(col9)} − ${formatYuan(col10)} − ${formatYuan(col11)}`,
    formatYuan(col12),
    ['L72'],
    {
      interpretations: ['I8'],
      ...note,
      words: { case: 'difference', values: { col9: n(col9), col10: n(col10), col11: n(col11), result: n(col12) } },
    },
  );
  return { col4, col5, col6, col7, col8, col9, col10, col11, col12, reduction, reductionCode, provisional };
}
