#!/usr/bin/env node
// `npm test`: type-check, run jest, and end with the plain line CI reads: "N passed, N failed".
// The exit code is jest's (or tsc's when the types do not check).
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: process.env }).status ?? 1;

const tsc = run(bin('tsc'), ['--noEmit']);
if (tsc !== 0) {
  console.log('typecheck: tsc --noEmit failed');
  console.log('0 passed, 1 failed');
  process.exit(tsc);
}
mkdirSync(join(root, 'test-results'), { recursive: true });
const out = join(root, 'test-results', 'jest.json');
const code = run(bin('jest'), ['--ci', '--json', `--outputFile=${out}`, ...process.argv.slice(2)]);
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const label = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
  console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
} else {
  console.log('0 passed, 1 failed');
}
process.exit(code);
