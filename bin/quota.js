#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx quota …` works right after `npm ci` with no build step.
require('tsx/cjs');
const { main } = require('../server/cli.ts');
main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s),
  isTTY: !!process.stderr.isTTY,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`内部错误 / internal error: ${err && err.message}\n`);
    process.exitCode = 1;
  });
