/** `quota check --annotate` says when it wrote nothing, instead of leaving the user to look for a file. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';

const dir = mkdtempSync(join(tmpdir(), 'cli-ann-'));

async function run(args: string[]) {
  let out = '',
    err = '';
  const code = await main(args, {
    out: (s) => {
      out += s + '\n';
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
  });
  return { code, out, err };
}

test('--annotate on a workbook without problems says there was nothing to mark and writes no file', async () => {
  const good = join(dir, 'good.xlsx');
  await writeSimpleWorkbook(good, 99, 1);
  const out = join(dir, 'marked.xlsx');
  const zh = await run(['check', good, '--annotate', out]);
  expect(zh.code).toBe(0);
  expect(zh.err).toContain('没有需要标注的问题，未写出标注工作簿');
  const en = await run(['check', good, '--annotate', out, '--lang', 'en']);
  expect(en.err).toContain('Nothing to mark');
  expect(existsSync(out)).toBe(false);
});
