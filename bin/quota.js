#!/usr/bin/env node
// The `quota` command. Runs the compiled dist/cli.js (scripts/build.js; `npm start` builds it) when it is
// there and built from the sources as they are now; otherwise the TypeScript sources through tsx, so
// `npx quota …` works right after `npm ci` too.
const { join } = require('node:path');
const { isFresh } = require('../scripts/build');

async function load() {
  if (isFresh()) return require(join(__dirname, '..', 'dist', 'cli.js'));
  await import('tsx'); // as `node --import tsx`: the sources load each command's modules with import()
  return require('../server/cli.ts');
}

load()
  .then((cli) =>
    cli.main(process.argv.slice(2), {
      out: (s) => process.stdout.write(s + '\n'),
      err: (s) => process.stderr.write(s),
      isTTY: !!process.stderr.isTTY,
    }),
  )
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`内部错误 / internal error: ${err && err.message}\n`);
    process.exitCode = 1;
  });
