/**
 * The register template (用人单位名录模板): the data sheet first (so the reader takes it), its header from
 * REGISTER_COLUMNS, the credit code as text, drop-down lists for the county and the unit type, then a sheet
 * of instructions.
 */
import type ExcelJS from 'exceljs';
import { COUNTIES, UNIT_TYPES } from '../rules/types';
import { REGISTER_COLUMNS, REGISTER_SHEET } from './register-sheet';
import { columnLetter } from './problem';

/** exceljs, loaded when a workbook is first written: the largest package, kept out of the app's start-up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJS;

const ROWS = 5000;

export async function writeRegisterTemplate(path: string): Promise<void> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(REGISTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = REGISTER_COLUMNS.map((c) => ({
    header: c.zh,
    key: c.key,
    width: c.key === 'name' ? 36 : c.key === 'uscc' ? 24 : 18,
    style: c.key === 'uscc' || c.key === 'contactPhone' ? { numFmt: '@' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  const list = (values: readonly string[]) => [`"${values.join(',')}"`];
  REGISTER_COLUMNS.forEach((c, i) => {
    const letter = columnLetter(i + 1);
    if (c.key === 'county' || c.key === 'unitType')
      for (let r = 2; r <= ROWS; r++)
        ws.getCell(`${letter}${r}`).dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: list(c.key === 'county' ? COUNTIES : UNIT_TYPES),
          showErrorMessage: true,
        };
  });
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 22 }, { width: 80 }];
  help.addRow(['列', '填写要求']).font = { bold: true };
  help.addRow(['统一社会信用代码', '18 位，按营业执照或登记证书填写；系统核对校验位。每家单位一行，不要重复。']);
  help.addRow(['单位名称', '与营业执照或登记证书一致。']);
  help.addRow(['所在县（市、区）', `从下拉列表选择：${COUNTIES.join('、')}。`]);
  help.addRow(['单位类型', `从下拉列表选择：${UNIT_TYPES.join('、')}。`]);
  help.addRow(['联系人、联系电话', '可不填；填写的，开通通知书寄送时使用。']);
  help.addRow(['', '文件可另存为 .csv（UTF-8）导入，列名保持不变。']);
  await wb.xlsx.writeFile(path);
}
