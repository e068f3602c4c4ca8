import { parseResidentId, residentIdCheckChar } from '../../server/ingest/fields/resident-id';
import { parseUscc, usccCheckChar } from '../../server/ingest/fields/uscc';
import { parseDisabilityCert } from '../../server/ingest/fields/disability-cert';

describe('GB 11643-1999 resident ID', () => {
  test("the standard's own examples are valid", () => {
    // 11010519491231002X and 440524188001010014 are the worked examples of GB 11643-1999
    expect(parseResidentId('11010519491231002X')).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'F' },
    });
    expect(parseResidentId('440524188001010014')).toEqual({
      ok: true,
      value: { idNumber: '440524188001010014', birthDate: '1880-01-01', sex: 'M' },
    });
  });
  test('lower-case x, spaces and full-width digits are normalised', () => {
    expect(parseResidentId(' 11010519491231002x ')).toMatchObject({
      ok: true,
      value: { idNumber: '11010519491231002X' },
    });
    expect(parseResidentId('４４０５２４１８８００１０１００１４')).toMatchObject({ ok: true });
  });
  test('a wrong check digit names the expected one', () => {
    expect(parseResidentId('110105194912310021')).toEqual({
      ok: false,
      code: 'cell/id-checksum',
      params: { expected: 'X' },
    });
  });
  test('wrong length and impossible birth dates', () => {
    expect(parseResidentId('1101051949123100')).toMatchObject({ ok: false, code: 'cell/id-format' });
    expect(parseResidentId('110105194902301234')).toMatchObject({
      ok: false,
      code: 'cell/id-birth',
      params: { birth: '1949-02-30' },
    });
  });
  test('check character computation', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });
});

describe('GB 32100-2015 unified social credit code', () => {
  test("the standard's example is valid", () => {
    // 91350100M000100Y43 is the example printed in GB 32100-2015 annex
    expect(parseUscc('91350100M000100Y43')).toEqual({ ok: true, value: '91350100M000100Y43' });
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });
  test('a wrong check character names the expected one', () => {
    expect(parseUscc('91350100M000100Y44')).toEqual({
      ok: false,
      code: 'cell/uscc-checksum',
      params: { expected: '3' },
    });
  });
  test('forbidden letters I O Z S V and wrong length are format errors', () => {
    expect(parseUscc('91350100M000100Y4O')).toMatchObject({ ok: false, code: 'cell/uscc-format' });
    expect(parseUscc('91350100M000100Y4')).toMatchObject({ ok: false, code: 'cell/uscc-format' });
  });
});

describe('disability certificate', () => {
  test('ID + category + grade, matched to the ID', () => {
    expect(parseDisabilityCert('11010519491231002X42', '11010519491231002X')).toEqual({
      ok: true,
      value: { number: '11010519491231002X42', category: 4, grade: 2 },
    });
    expect(parseDisabilityCert('11010519491231002X42', '440524188001010014')).toMatchObject({
      ok: false,
      code: 'cell/cert-mismatch',
    });
    expect(parseDisabilityCert('11010519491231002X82', null)).toMatchObject({ ok: false, code: 'cell/cert-format' });
    expect(parseDisabilityCert('11010519491231002X45', null)).toMatchObject({ ok: false, code: 'cell/cert-format' });
  });
});
