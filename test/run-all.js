#!/usr/bin/env node
// `npm test`: type-check, run jest, and end with the plain line CI reads: "N passed, N failed".
// The exit code is jest's (or tsc's when the types do not check).
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, existsSync, writeFileSync } = require('node:fs');

/**
 * Personal data never reaches the log: the whole run's log is scanned for ID-number and
 * certificate-number shapes (GB 11643: 6-digit area, birth date, 3 digits, check character; a certificate
 * is an ID plus 2 digits) and for the personal names the test rosters use.
 */
function scanLog(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n').filter(Boolean).length;
  const id = /[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]/g;
  const names = /欧阳\w*明|司马[A-Z0-9]{3}\d|残疾职工\d|错误示例/g;
  // secrets: the passwords the tests log in with, one-time and recovery codes, second-factor keys (base32)
  const secrets = /demo1234|orchard-lantern-57|\b[A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){2,3}\b|\b[A-Z2-7]{32}\b/g;
  const found = [...(text.match(id) || []), ...(text.match(names) || []), ...(text.match(secrets) || [])];
  if (lines < 50) return { ok: false, message: `log scan: only ${lines} log lines — the scan would prove nothing` };
  if (found.length)
    return {
      ok: false,
      message: `log scan: ${lines} lines, PERSONAL DATA FOUND: ${[...new Set(found)].slice(0, 5).join(', ')}`,
    };
  return {
    ok: true,
    message: `log scan: ${lines} log lines, no ID number, certificate number, roster name, password, code or key`,
  };
}
const { join } = require('node:path');
const { preflight } = require('./preflight');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: process.env }).status ?? 1;

// the machine first: what the selected suites need is installed here or named, never skipped silently
const missing = preflight(process.argv.slice(2));
if (missing) {
  console.error(missing);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const tsc = run(bin('tsc'), ['--noEmit']);
if (tsc !== 0) {
  console.log('typecheck: tsc --noEmit failed');
  console.log('0 passed, 1 failed');
  process.exit(tsc);
}
// the compiled app and command (dist/, scripts/build.js) when the sources changed: the tests that start
// `quota` as a process then run it as it ships, without compiling TypeScript in every process
const build = run(process.execPath, [join(root, 'scripts', 'build.js'), '--if-stale']);
if (build !== 0) {
  console.log('build: scripts/build.js failed');
  console.log('0 passed, 1 failed');
  process.exit(build);
}
mkdirSync(join(root, 'test-results'), { recursive: true });
const out = join(root, 'test-results', 'jest.json');
// every app the tests start (in-process or on loopback) appends its log here, whatever LOG_LEVEL says
const logFile = join(root, 'test-results', 'app.log');
writeFileSync(logFile, '');
process.env.LOG_FILE = logFile;
let code = run(bin('jest'), ['--ci', '--json', `--outputFile=${out}`, ...process.argv.slice(2)]);
const scan = scanLog(logFile);
console.log(scan.message);
if (!scan.ok) code = code || 1;
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const label = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
  console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
} else {
  console.log('0 passed, 1 failed');
}
process.exit(code);
