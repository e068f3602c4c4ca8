/** The register file's rows checked one by one (pure): headers in either language, problems by row and column. */
import { parseRegisterRows } from '../../server/ingest/register-sheet';
import { makeUscc } from '../helpers/people';

const rows = (cells: (string | null)[][]) => cells.map((c, i) => ({ cells: [null, ...c], row: i + 1 }));

test('English headers in another order, blank rows skipped, names kept as written', () => {
  const out = parseRegisterRows(
    rows([
      ['Unit name', 'County', 'Unit type', 'Unified social credit code'],
      [null, null, null, null],
      ['嘉兴（海宁）甲公司', '海宁市', '企业', makeUscc('QQQ000001')],
    ]),
  );
  expect(out.problems).toEqual([]);
  expect(out.rows).toEqual([
    {
      row: 3,
      uscc: makeUscc('QQQ000001'),
      name: '嘉兴（海宁）甲公司',
      county: '海宁市',
      unitType: '企业',
      contactName: null,
      contactPhone: null,
    },
  ]);
  expect(out.columns).toMatchObject({ uscc: 'D', name: 'A' });
});

test('a missing column, then each kind of row problem at its row and column', () => {
  expect(parseRegisterRows(rows([['统一社会信用代码', '单位名称']])).problems).toEqual([
    { row: 1, column: '', field: 'county', code: 'register/missing-column', params: { header: '所在县（市、区）' } },
    { row: 1, column: '', field: 'unitType', code: 'register/missing-column', params: { header: '单位类型' } },
  ]);
  const good = makeUscc('QQQ000002');
  const out = parseRegisterRows(
    rows([
      ['统一社会信用代码', '单位名称', '所在县（市、区）', '单位类型', '联系人', '联系电话'],
      [good, '甲', '海宁市', '企业', null, '0573-87000000'],
      [good, '乙', '嘉兴', '公司', null, '电话'],
      ['123', null, '海宁市', '企业', null, null],
    ]),
  );
  expect(out.rows.map((r) => r.row)).toEqual([2]);
  expect(out.problems.map((p) => [p.row, p.column, p.code])).toEqual([
    [3, 'C', 'register/county'],
    [3, 'D', 'register/unit-type'],
    [3, 'F', 'register/phone'],
    [3, 'A', 'register/duplicate'],
    [4, 'A', 'cell/uscc-format'],
    [4, 'B', 'register/required'],
  ]);
});
