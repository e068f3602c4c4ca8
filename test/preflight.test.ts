/** `npm test` checks the machine before it runs: installs what it can, otherwise stops and names what to install. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { preflight, selected } = require('./preflight') as {
  preflight: (args: string[], machine: Record<string, unknown>, log?: (s: string) => void) => string | null;
  selected: (file: string, args: string[]) => boolean;
};

const has = (missing: string[] = []) =>
  Object.fromEntries(
    ['chromium', 'fonts-wqy-microhei', 'python3-openpyxl', 'postgresql'].map((p) => [p, () => !missing.includes(p)]),
  );
const ready = {
  isRoot: () => true,
  hasAptGet: () => true,
  has: has(),
  canMountTmpfs: () => null,
  aptInstall: () => {
    throw new Error('nothing to install');
  },
};

test('which suites a jest command line selects', () => {
  expect(selected('test/e2e/journey.test.ts', [])).toBe(true);
  expect(selected('test/e2e/journey.test.ts', ['--runInBand', 'test/web', 'test/fault/db-error.test.ts'])).toBe(false);
  expect(selected('test/fault/storage.test.ts', ['test/fault'])).toBe(true);
  expect(selected('test/fault/storage.test.ts', ['-t', 'storage', 'test/rules'])).toBe(false);
  expect(selected('test/e2e/journey.test.ts', ['-t', 'journey'])).toBe(true);
});

test('a ready machine passes; missing packages are installed by root with apt-get', () => {
  expect(preflight([], ready)).toBeNull();
  let missing = ['fonts-wqy-microhei', 'python3-openpyxl'];
  const installed: string[][] = [];
  const m = {
    ...ready,
    has: {
      chromium: () => true,
      'fonts-wqy-microhei': () => !missing.includes('fonts-wqy-microhei'),
      'python3-openpyxl': () => !missing.includes('python3-openpyxl'),
      postgresql: () => true,
    },
    aptInstall: (p: string[]) => {
      installed.push(p);
      missing = [];
      return true;
    },
  };
  expect(preflight([], m, () => undefined)).toBeNull();
  expect(installed).toEqual([['fonts-wqy-microhei', 'python3-openpyxl']]);
});

test('without root: stops at once, naming the packages and the permission, never skipping', () => {
  const m = {
    ...ready,
    isRoot: () => false,
    has: has(['chromium', 'fonts-wqy-microhei', 'python3-openpyxl']),
    canMountTmpfs: () => 'not root',
    aptInstall: () => {
      throw new Error('must not install without root');
    },
  };
  const msg = preflight([], m)!;
  expect(msg).toContain('apt-get install -y chromium fonts-wqy-microhei');
  expect(msg).toContain('apt-get install -y python3-openpyxl');
  expect(msg).toContain('test/fault/storage.test.ts');
  expect(msg).toContain('not root');
  if (!process.env.DATABASE_URL) expect(msg).toContain('test/fault/two-instances.test.ts');
  expect(msg).toContain('Nothing was skipped');
  // a run of other suites needs neither
  expect(preflight(['test/rules', 'test/web'], m)).toBeNull();
});

test("the two-instance suite needs a PostgreSQL: Debian's postgresql installed by root, or DATABASE_URL", () => {
  const saved = process.env.DATABASE_URL;
  try {
    delete process.env.DATABASE_URL;
    const installed: string[][] = [];
    const m = { ...ready, has: has(['postgresql']), aptInstall: (p: string[]) => installed.push(p) > 0 && false };
    expect(preflight(['test/fault/two-instances.test.ts'], m, () => undefined)).toContain(
      'apt-get install -y postgresql',
    );
    expect(installed).toEqual([['postgresql']]);
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/quota_test';
    expect(preflight(['test/fault/two-instances.test.ts'], { ...m, isRoot: () => false })).toBeNull();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
});

test('apt-get failing is said, with what to install by hand', () => {
  const m = { ...ready, has: has(['chromium']), aptInstall: () => false };
  expect(preflight(['test/e2e'], m, () => undefined)).toMatch(
    /apt-get could not install chromium[\s\S]*apt-get install -y chromium/,
  );
});
