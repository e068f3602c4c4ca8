#!/usr/bin/env node
/**
 * `npm run build`: compiles the web app (server/index.ts), the `quota` command (server/cli.ts) and the
 * worker thread they start (server/workers/upload-worker.ts) into dist/, one JavaScript file each, with
 * every package left to node_modules. Production (`npm start`) and `quota` then run without a TypeScript
 * compiler loaded; development and the tests keep running the sources through tsx.
 *
 * The files read at run time (views/, server/static/, server/rules/parameters/) stay where they are:
 * server/paths.ts finds them from dist/ as from server/, both one folder below the project's root. The
 * parameter files are also kept as read and validated now, in dist/parameters.json, used while their texts
 * are unchanged (server/params/load-parameters.ts).
 *
 * `--if-stale` builds only when dist/ is missing or older than one of the sources it was built from
 * (dist/inputs.json lists them); `npm start` runs it first.
 */
const { existsSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const inputsFile = join(dist, 'inputs.json');

/** True when dist/ holds a build of the sources as they are now. */
function isFresh() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return false;
  }
  const builtAt = inputs.builtAt;
  for (const f of [...inputs.outputs, ...inputs.sources]) {
    const st = statSync(join(root, f), { throwIfNoEntry: false });
    if (!st) return false;
    if (inputs.sources.includes(f) && st.mtimeMs > builtAt) return false;
  }
  return true;
}

async function build() {
  const esbuild = require('esbuild');
  const started = Date.now();
  mkdirSync(dist, { recursive: true });
  // while the files are rewritten, `quota` sees no build and runs the sources (bin/quota.js)
  rmSync(inputsFile, { force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      index: 'server/index.ts',
      cli: 'server/cli.ts',
      'upload-worker': 'server/workers/upload-worker.ts',
      parameters: 'server/params/load-parameters.ts',
    },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // the shipped parameter files as read and validated now (server/params/load-parameters.ts)
  const params = require(join(dist, 'parameters.js'));
  const cache = { hash: params.parameterTextsHash(), defs: params.parseParameterDir() };
  writeFileSync(params.PARAMETER_CACHE, JSON.stringify(cache) + '\n');
  const sources = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  const outputs = Object.keys(result.metafile.outputs).map((f) => relative(root, join(root, f)));
  writeFileSync(inputsFile, JSON.stringify({ builtAt: started, outputs, sources }, null, 1) + '\n');
  return { ms: Date.now() - started, sources: sources.length };
}

module.exports = { isFresh, build };

if (require.main === module) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && existsSync(inputsFile) && isFresh()) process.exit(0);
  build().then(
    ({ ms, sources }) => process.stderr.write(`dist/ built from ${sources} sources in ${ms} ms\n`),
    (e) => {
      process.stderr.write(`build failed: ${e.message}\n`);
      process.exit(1);
    },
  );
}
