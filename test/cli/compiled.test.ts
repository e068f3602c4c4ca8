/**
 * The compiled `quota` (scripts/build.js → dist/): `quota --help` and `quota check` run from dist/ with no
 * TypeScript compiler loaded — in the command's own thread and in the thread that reads the workbook — and
 * the compiled check gives the same answer as the sources.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cli-compiled-'));
const good = join(dir, 'good.xlsx');
// preloaded into the command (and so into its worker threads): every file loaded, with the thread that loaded it
const watch = join(dir, 'watch-loads.js');
writeFileSync(
  watch,
  `const M = require('node:module'), fs = require('node:fs'), { isMainThread } = require('node:worker_threads');
const log = process.env.LOAD_LOG, load = M._load;
fs.appendFileSync(log, (isMainThread ? 'main' : 'worker') + ' execArgv ' + process.execArgv.join(' ') + '\\n');
M._load = function (request, parent, isMain) {
  let file = request;
  try { file = M._resolveFilename(request, parent, isMain); } catch {}
  fs.appendFileSync(log, (isMainThread ? 'main ' : 'worker ') + file + '\\n');
  return load.apply(this, arguments);
};
`,
);

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js'), '--if-stale'], { cwd: root, stdio: 'pipe' });
  await writeSimpleWorkbook(good, 99, 1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function quota(args: string[], name: string) {
  const log = join(dir, `${name}.log`);
  const r = spawnSync(process.execPath, ['-r', watch, join(root, 'bin', 'quota.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, LOAD_LOG: log, NODE_OPTIONS: '' },
  });
  const loads = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { ...r, loads };
}

const compiler = (line: string) =>
  /[/\\]node_modules[/\\](tsx|typescript|esbuild|@swc)[/\\]|\.ts$|--import|--loader|--require tsx/.test(line);

test('quota --help runs from dist/ and loads no compiler and no package', () => {
  const r = quota(['--help'], 'help');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('quota check FILE');
  expect(r.loads).toContain(`main ${join(root, 'dist', 'cli.js')}`);
  expect(r.loads.filter(compiler)).toEqual([]);
  expect(r.loads.filter((l) => l.includes(`${join(root, 'node_modules')}`))).toEqual([]);
});

test('quota check runs from dist/, reads in a compiled worker thread, and answers as the sources do', async () => {
  const r = quota(['check', good, '--json'], 'check');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.loads).toContain(`main ${join(root, 'dist', 'cli.js')}`);
  expect(r.loads).toContain(`worker ${join(root, 'dist', 'upload-worker.js')}`);
  expect(r.loads.filter(compiler)).toEqual([]);

  let out = '';
  const code = await main(['check', good, '--json'], { out: (s) => (out += s), err: () => undefined, isTTY: false });
  expect(code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual(JSON.parse(out));
});

test("the compiled app's parameter files, as read at build time, are the files as they are; a changed text is read afresh", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiled = require(join(root, 'dist', 'parameters.js')) as typeof import('../../server/params/load-parameters');
  const cache = JSON.parse(readFileSync(compiled.PARAMETER_CACHE, 'utf8'));
  expect(cache.hash).toBe(compiled.parameterTextsHash());
  expect(compiled.loadParameterDefs()).toEqual(compiled.parseParameterDir());
  expect(cache.defs).toEqual(compiled.parseParameterDir());
  const copy = join(dir, 'parameters');
  cpSync(compiled.PARAMETER_DIR, copy, { recursive: true });
  const file = join(copy, 'min-wage.yaml');
  writeFileSync(file, readFileSync(file, 'utf8') + '\n# one more line\n');
  expect(compiled.parameterTextsHash(copy)).not.toBe(cache.hash);
});
