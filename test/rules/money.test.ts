import { formatYuan, Q, toYuan } from '../../server/rules/money';

describe('exact money (I8)', () => {
  test('half-up at the fen, where binary floating point would round down', () => {
    expect(toYuan(Q.parse('2.675'))).toBe(2.68);
    expect((2.675).toFixed(2)).toBe('2.67'); // the trap this avoids
    expect(toYuan(Q.parse('0.005'))).toBe(0.01);
    expect(toYuan(Q.parse('0.0049999'))).toBe(0);
  });
  test('divisions stay exact until the end', () => {
    const avgStaff = Q.of(1040, 12);
    const levy = Q.parse('1.3').mul(Q.of(6_080_000).div(avgStaff));
    expect(levy.eq(Q.of(91_200))).toBe(true);
    expect(Q.of(1, 3).mul(3).eq(Q.ONE)).toBe(true);
  });
  test('floor, ceil, comparison', () => {
    expect(Q.parse('2.9999').floor().toString()).toBe('2');
    expect(Q.parse('2.0001').ceil().toString()).toBe('3');
    expect(Q.parse('-0.5').floor().toString()).toBe('-1');
    expect(Q.of(1, 4).ge(Q.parse('0.25'))).toBe(true);
  });
  test('grouped display', () => {
    expect(formatYuan(Q.of(1_084_800))).toBe('1,084,800.00');
    expect(formatYuan(Q.parse('70153.846153'))).toBe('70,153.85');
  });
  test('rejects what is not a decimal', () => {
    expect(() => Q.parse('1e5')).toThrow(RangeError);
    expect(() => Q.of(1, 0)).toThrow(RangeError);
  });
});
