// What the selected suites need from the machine, checked before anything runs (`npm test` calls it first):
// - the browser suite (test/e2e): Debian's Chromium and a CJK font;
// - the Chinese roster test (test/ingest/chinese-roster.test.ts): python3 with openpyxl, a second producer;
// - the storage fault suite (test/fault/storage.test.ts): permission to mount a small tmpfs (root);
// - the two-instance suite (test/fault/two-instances.test.ts): a PostgreSQL — DATABASE_URL, or Debian's
//   postgresql and root to start a throwaway cluster (.ci/postgres.sh).
// Missing packages are installed when the run is root on a Debian-like system with apt-get; otherwise the
// run stops at once and says what to install. A suite is never skipped silently.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STORAGE_SUITE = 'test/fault/storage.test.ts';
const TWO_INSTANCES_SUITE = 'test/fault/two-instances.test.ts';
const givenPostgres = () => /^postgres(ql)?:/.test(process.env.DATABASE_URL || '');

/** Debian packages suites need: which suite, what for, and each package with how to tell it is there. */
const PACKAGES = [
  {
    suite: 'test/e2e/journey.test.ts',
    why: "the browser tests (test/e2e) need Debian's Chromium and a CJK font",
    packages: ['chromium', 'fonts-wqy-microhei'],
  },
  {
    suite: 'test/ingest/chinese-roster.test.ts',
    why: 'the Chinese roster test writes workbooks with a second producer, openpyxl',
    packages: ['python3-openpyxl'],
  },
  {
    suite: TWO_INSTANCES_SUITE,
    why: 'the two-instance test runs two app processes on one PostgreSQL, a throwaway cluster unless DATABASE_URL names one',
    packages: ['postgresql'],
    unless: givenPostgres,
  },
];

/** Whether jest, given these arguments, would run the file (no path pattern: every file). */
function selected(file, args) {
  const takesValue = new Set([
    '--testNamePattern',
    '-t',
    '--outputFile',
    '--maxWorkers',
    '-w',
    '--testTimeout',
    '--config',
    '-c',
    '--reporters',
    '--shard',
  ]);
  const paths = args.filter((a, i) => !a.startsWith('-') && !takesValue.has(args[i - 1]));
  if (paths.length === 0) return true;
  return paths.some((p) => {
    try {
      return new RegExp(p).test(file);
    } catch {
      return file.includes(p);
    }
  });
}

function hasCjkFont(dir = '/usr/share/fonts', depth = 0) {
  if (depth > 4 || !existsSync(dir)) return false;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (/wqy|cjk|notosanssc|sourcehansans/i.test(f)) return true;
    try {
      if (statSync(p).isDirectory() && hasCjkFont(p, depth + 1)) return true;
    } catch {
      /* unreadable */
    }
  }
  return false;
}

function canMountTmpfs() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root';
  const dir = mkdtempSync(join(tmpdir(), 'qd-preflight-'));
  try {
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
    if (m.error || m.status !== 0) return (m.error && m.error.message) || m.stderr.trim() || `mount exit ${m.status}`;
    spawnSync('umount', [dir]);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const hasAptGet = () => spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;

const MACHINE = {
  isRoot,
  hasAptGet,
  has: {
    chromium: () => existsSync(CHROMIUM),
    'fonts-wqy-microhei': () => hasCjkFont(),
    'python3-openpyxl': () =>
      spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0,
    postgresql: () => spawnSync('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/initdb'], { stdio: 'ignore' }).status === 0,
  },
  canMountTmpfs,
  aptInstall: (packages) => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    return (
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env }).status === 0
    );
  },
};

/** Returns null when the machine is ready for the suites `args` select, or the message to stop with. */
function preflight(args, machine = MACHINE, log = console.log) {
  const problems = [];
  const needed = PACKAGES.filter((r) => selected(r.suite, args) && !(r.unless && r.unless()));
  const missing = () => [...new Set(needed.flatMap((r) => r.packages))].filter((p) => !machine.has[p]());
  const packages = missing();
  if (packages.length && machine.isRoot() && machine.hasAptGet()) {
    log(`npm test: installing ${packages.join(' ')} (apt-get)`);
    if (!machine.aptInstall(packages)) problems.push(`apt-get could not install ${packages.join(' ')}`);
  }
  const still = missing();
  for (const r of needed) {
    const lacking = r.packages.filter((p) => still.includes(p));
    if (!lacking.length) continue;
    problems.push(
      `${r.why}: sudo apt-get install -y ${lacking.join(' ')}` +
        (lacking.includes('chromium') ? ` (or set CHROMIUM_PATH to a Chromium elsewhere; looked for ${CHROMIUM})` : ''),
    );
  }
  if (selected(STORAGE_SUITE, args)) {
    const why = machine.canMountTmpfs();
    if (why)
      problems.push(
        `the storage fault tests (test/fault/storage.test.ts) mount a small tmpfs and need root allowed to mount (${why}): run npm test as root on a machine or VM, or in a container started with --privileged`,
      );
  }
  if (selected(TWO_INSTANCES_SUITE, args) && !givenPostgres() && !machine.isRoot())
    problems.push(
      `the two-instance test (${TWO_INSTANCES_SUITE}) starts a throwaway PostgreSQL cluster as root (.ci/postgres.sh): run npm test as root, or set DATABASE_URL to a PostgreSQL it may wipe`,
    );
  if (!problems.length) return null;
  return [
    'npm test cannot run every selected suite on this machine:',
    ...problems.map((p) => `  - ${p}`),
    'Nothing was skipped and nothing was run. Fix the above, or run the other suites by path, e.g. npm test -- test/rules test/ingest test/web',
  ].join('\n');
}

module.exports = { preflight, selected };
