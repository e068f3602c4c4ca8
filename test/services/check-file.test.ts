/**
 * One pipeline, ingest → check: the command line, the anonymous API's worker job and the upload worker's job
 * answer the same file with the same result, and the same problems when it has errors.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../server/cli/run-check';
import { shippedParameters } from '../../server/params/load-parameters';
import { apiCheck } from '../../server/services/api-check';
import { checkFile } from '../../server/services/check-file';
import { evaluateUpload } from '../../server/services/evaluate-upload';
import { parseStoredResult, resultIn } from '../../reports/stored-result';
import { recomputeOne } from '../../server/services/recompute-one';
import { Q } from '../../server/rules/money';
import { withSocialAverageWage } from '../../server/rules/social-average-wage';
import { USCC_A, USCC_B, writeSimpleWorkbook } from '../helpers/demo-workbooks';

const dir = mkdtempSync(join(tmpdir(), 'qd-pipeline-'));
const params = shippedParameters();
const none = () => undefined;

test('the CLI, the API and an upload give the same result for the same workbook', async () => {
  const file = join(dir, 'ok.xlsx');
  await writeSimpleWorkbook(file, 99, 1);
  const cli = await runCheck(file, { lang: 'zh', set: [], employerFields: {} });
  const api = await apiCheck(
    {
      path: file,
      fileName: 'ok.xlsx',
      lang: 'zh',
      employerFields: {},
      maxFileBytes: 30 * 1024 * 1024,
      socialAverageWage: null,
      alreadyPaid: null,
    },
    params,
  );
  const upload = await evaluateUpload(
    { path: file, fileName: 'ok.xlsx', lang: 'zh', employerUscc: USCC_A, secret: 's' },
    params,
    none,
  );
  expect(cli.kind).toBe('result');
  expect(api.status).toBe(200);
  const fromCli = JSON.parse(JSON.stringify(cli.kind === 'result' ? cli.result : null));
  expect(JSON.parse(api.json)).toEqual(fromCli);
  expect(JSON.parse(JSON.stringify(resultIn(parseStoredResult(upload.resultJson), 'zh')))).toEqual(fromCli);
  expect(upload.hasErrors).toBe(false);
});

test("the same problems from each, and an upload of another employer's workbook is refused", async () => {
  const file = join(dir, 'bad.xlsx');
  await writeSimpleWorkbook(file, 5, 0, { 评估年度: 'abc' });
  const cli = await runCheck(file, { lang: 'en', set: [], employerFields: {} });
  const api = await apiCheck(
    {
      path: file,
      fileName: 'bad.xlsx',
      lang: 'en',
      employerFields: {},
      maxFileBytes: 30 * 1024 * 1024,
      socialAverageWage: null,
      alreadyPaid: null,
    },
    params,
  );
  expect(cli.kind).toBe('problems');
  expect(api.status).toBe(422);
  expect(JSON.parse(api.json).problems).toEqual(
    JSON.parse(JSON.stringify(cli.kind === 'problems' ? cli.problems : null)),
  );

  const ok = join(dir, 'theirs.xlsx');
  await writeSimpleWorkbook(ok, 20, 1);
  const checked = await checkFile(ok, params, {
    fileName: 'theirs.xlsx',
    lang: 'en',
    origin: 'upload',
    expectedUscc: '91330481MA2B3C6F0E',
  });
  expect(checked.result).toBeNull();
  expect(checked.problems.map((p) => p.code)).toContain('employer/other-uscc');
});

test('an amount given with the request is used and says where it came from', async () => {
  const file = join(dir, 'saw.xlsx');
  await writeSimpleWorkbook(file, 99, 1);
  const cli = await checkFile(file, params, {
    fileName: 'saw.xlsx',
    lang: 'zh',
    origin: 'cli',
    socialAverageWage: '1000',
    alreadyPaid: '100',
  });
  const api = await checkFile(file, params, {
    fileName: 'saw.xlsx',
    lang: 'zh',
    origin: 'api',
    socialAverageWage: '1000',
    alreadyPaid: '100',
  });
  const text = (r: typeof cli) => JSON.stringify(r.result);
  expect(text(cli)).toContain('命令行 --social-average-wage 1000（2025年度）');
  expect(text(api)).toContain('请求参数 socialAverageWage 1000.00（2025年度）');
  const plain = await checkFile(file, params, { fileName: 'saw.xlsx', lang: 'zh', origin: 'cli' });
  expect(cli.result!.levy).not.toEqual(plain.result!.levy);
});

test('a recompute reads through the same pipeline: the same figures as a check with the new wage, and another unit refused', async () => {
  const file = join(dir, 'again.xlsx');
  await writeSimpleWorkbook(file, 99, 1);
  const upload = await evaluateUpload(
    { path: file, fileName: 'again.xlsx', lang: 'en', employerUscc: USCC_A, secret: 's' },
    params,
    none,
  );
  const withWage = withSocialAverageWage(params, 2025, Q.parse('1000'), 'test wage');
  const input = {
    path: file,
    fileName: 'again.xlsx',
    beforeJson: upload.resultJson,
    employerFields: {},
    uscc: USCC_A,
  };
  const out = await recomputeOne(input, withWage);
  expect(out.status).toBe('recomputed');
  const direct = await checkFile(file, withWage, { fileName: 'again.xlsx', lang: 'en', origin: 'upload' });
  const after =
    out.status === 'recomputed' ? (JSON.parse(out.resultJson) as { levy: unknown; problems: unknown }) : null;
  expect(after!.levy).toEqual(JSON.parse(JSON.stringify(direct.result!.levy)));
  // the problems the employer read at upload are kept, in the language they were read in
  expect(after!.problems).toEqual(JSON.parse(upload.resultJson).problems);
  expect(await recomputeOne({ ...input, uscc: USCC_B }, withWage)).toEqual({ status: 'unchanged' });
});
