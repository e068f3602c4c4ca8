/**
 * The layers hold: routes → services → stores, with the engine pure. Every source file's imports are read
 * (static, `export … from`, dynamic `import()` and `require()`), resolved to a repository path, and checked
 * against each layer's never-imports. The checker itself is shown to fail on a fixture import graph.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** A layer (a folder, repository-relative) and the folders it must never import from. */
interface Layer {
  layer: string;
  never: string[];
  why: string;
}

export const LAYERS: Layer[] = [
  {
    layer: 'server/routes',
    never: ['db', 'server/demo'],
    why: 'routes see services, never the database; the app hands them what they need of the demo',
  },
  { layer: 'server/middleware', never: ['db'], why: 'middleware sees services, never the database' },
  { layer: 'server/render', never: ['db', 'server/services', 'server/routes'], why: 'rendering is given its data' },
  { layer: 'server/demo', never: ['db'], why: 'demo data goes through the services like any user' },
  {
    layer: 'server/services',
    never: ['server/routes', 'server/middleware', 'server/demo'],
    why: 'services know nothing of the routes, the middleware or the demo',
  },
  {
    layer: 'db',
    never: ['server/services', 'server/routes', 'server/middleware', 'server/demo', 'server/app.ts'],
    why: 'stores hold SQL and nothing above it',
  },
  {
    layer: 'reports',
    never: ['server/services', 'server/routes', 'server/middleware', 'db'],
    why: 'reports are pure builders given their data',
  },
  {
    layer: 'server/ingest',
    never: ['db', 'server/services', 'server/routes', 'server/middleware', 'server/workers'],
    why: 'ingest turns a file into rows and problems, nothing else',
  },
  {
    layer: 'server/workers',
    never: ['db', 'server/routes', 'server/middleware'],
    why: 'workers read and evaluate files, the services store the results',
  },
];

/** Folders (besides its own) the pure engine may import from: none. */
const RULES = 'server/rules';

export type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules') return [];
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js)$/.test(f) ? [p] : [];
  });
}

const IMPORT =
  /^\s*(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]|^\s*import\s*['"]([^'"\n]+)['"]|\b(?:import|require)\(\s*['"]([^'"\n]+)['"]\s*\)/gm;

/** file (repository-relative, '/'-separated) → what it imports: repository paths for relative specifiers, package names otherwise. */
export function importGraph(files: string[], root = ROOT): Graph {
  const g: Graph = new Map();
  for (const abs of files) {
    const src = readFileSync(abs, 'utf8');
    const targets = [...src.matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2] ?? m[3])
      .map((spec) => (spec.startsWith('.') ? toRepo(resolve(dirname(abs), spec), root) : spec));
    g.set(toRepo(abs, root), targets);
  }
  return g;
}

const toRepo = (abs: string, root = ROOT) => relative(root, abs).split(sep).join('/');
const within = (path: string, folder: string) =>
  path === folder || path.startsWith(`${folder}/`) || path === folder.replace(/\.ts$/, '');

/** Every import that breaks a layer's never-imports, or takes the engine outside itself. */
export function violations(g: Graph, layers: Layer[] = LAYERS): string[] {
  const out: string[] = [];
  for (const [file, targets] of g) {
    for (const t of targets) {
      for (const l of layers) {
        if (!within(file, l.layer)) continue;
        const hit = l.never.find((n) => within(t, n));
        if (hit) out.push(`${file} imports ${t} (${l.layer} ↛ ${hit}: ${l.why})`);
      }
      if (within(file, RULES) && !within(t, RULES)) out.push(`${file} imports ${t} (${RULES} imports only ${RULES})`);
    }
  }
  return out;
}

const repoFiles = () => ['server', 'db', 'reports'].flatMap((d) => sourceFiles(join(ROOT, d)));

test('every layer keeps its never-imports', () => {
  const g = importGraph(repoFiles());
  expect(g.size).toBeGreaterThan(100);
  // the graph reads what it should: a route's import of its services is seen
  expect(g.get('server/routes/api.ts')).toContain('server/services');
  expect(violations(g)).toEqual([]);
});

test('the checker fails on a never-import (a fixture import graph)', () => {
  const g: Graph = new Map([
    ['server/routes/new-page.ts', ['server/services', 'db/stores/users', 'express']],
    ['db/stores/things.ts', ['server/services/uploads']],
    ['reports/x/builder.ts', ['server/services/notices']],
    ['server/ingest/fields/odd.ts', ['db/connection']],
    ['server/rules/levy.ts', ['node:fs', 'server/ingest/problem']],
    ['server/rules/quota.ts', ['server/rules/money']],
    ['server/services/fine.ts', ['db/stores/users']],
  ]);
  expect(violations(g)).toEqual([
    'server/routes/new-page.ts imports db/stores/users (server/routes ↛ db: routes see services, never the database; the app hands them what they need of the demo)',
    'db/stores/things.ts imports server/services/uploads (db ↛ server/services: stores hold SQL and nothing above it)',
    'reports/x/builder.ts imports server/services/notices (reports ↛ server/services: reports are pure builders given their data)',
    'server/ingest/fields/odd.ts imports db/connection (server/ingest ↛ db: ingest turns a file into rows and problems, nothing else)',
    'server/rules/levy.ts imports node:fs (server/rules imports only server/rules)',
    'server/rules/levy.ts imports server/ingest/problem (server/rules imports only server/rules)',
  ]);
});

test('the checker reads real files: a route importing a store is caught', () => {
  // a temporary repository with one route that imports a store, read by the same importGraph
  const root = mkdtempSync(join(tmpdir(), 'qd-arch-'));
  try {
    mkdirSync(join(root, 'server', 'routes'), { recursive: true });
    const f = join(root, 'server', 'routes', 'bad.ts');
    writeFileSync(
      f,
      "import { findUserById } from '../../db/stores/users';\nexport const x = () => import('../services');\n",
    );
    const g = importGraph([f], root);
    expect(g.get('server/routes/bad.ts')).toEqual(['db/stores/users', 'server/services']);
    expect(violations(g)).toEqual([
      'server/routes/bad.ts imports db/stores/users (server/routes ↛ db: routes see services, never the database; the app hands them what they need of the demo)',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the engine is pure: no process, require or clock in server/rules', () => {
  const offenders = sourceFiles(join(ROOT, RULES))
    .filter((f) => /process\.|require\(|Date\.now|new Date\(\)/.test(readFileSync(f, 'utf8')))
    .map((f) => toRepo(f));
  expect(offenders).toEqual([]);
});

test('authorisation is decided in server/middleware/authorise.ts: no route compares roles, counties or owners itself', () => {
  const offenders = sourceFiles(join(ROOT, 'server', 'routes'))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => [f, i + 1, line] as const),
    )
    .filter(([, , line]) => /\.(role|county|employer_id)\s*[!=]==|requireRole\(/.test(line))
    .map(([f, n, line]) => `${toRepo(f)}:${n}: ${line.trim()}`);
  expect(offenders).toEqual([]);
});

test('demo data is never loaded with the app: server/demo is imported only on demand (import()), never statically', () => {
  const STATIC = /^\s*(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]/gm;
  const offenders = repoFiles()
    .filter((f) => !within(toRepo(f), 'server/demo'))
    .flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(STATIC)]
        .filter(
          (m) =>
            m[1].startsWith('.') &&
            m[0].trim().startsWith('import ') &&
            !/^\s*import\s+type\b/.test(m[0]) &&
            within(toRepo(resolve(dirname(f), m[1])), 'server/demo'),
        )
        .map((m) => `${toRepo(f)}: ${m[0].trim()}`),
    );
  expect(offenders).toEqual([]);
});

/** A knex query on a table (`x('uploads').where(…)`, `trx('checks as c').join(…)`) or raw SQL. */
const SQL =
  /\w\(\s*['"`][a-z_]+(?: as \w+)?['"`]\s*\)\s*\.\s*(?:where\w*|select|insert|update|del(?:ete)?|count|first|(?:left|right|inner)?[jJ]oin|orderBy|groupBy|max|min|sum|increment|decrement|truncate|onConflict|pluck)\b|\.raw\(/;

test('all SQL lives in db/: no query outside it', () => {
  const offenders = ['server', 'reports']
    .flatMap((d) => sourceFiles(join(ROOT, d)))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => [f, i + 1, line] as const),
    )
    .filter(([, , line]) => SQL.test(line))
    .map(([f, n, line]) => `${toRepo(f)}:${n}: ${line.trim()}`);
  expect(offenders).toEqual([]);
  // the pattern sees the queries it is meant to see
  expect(
    [
      "await trx('uploads').where({ id }).update({})",
      "db('uploads as u').join('employers as e')",
      "db.raw('select 1')",
      "this.db('sessions').where({ sid })",
    ].filter((s) => !SQL.test(s)),
  ).toEqual([]);
  expect(
    ["t('problems.title')", "label('status')", "render('bureau/home', {})", "res.send(render('x'))"].filter((s) =>
      SQL.test(s),
    ),
  ).toEqual([]);
});

/** A read of the environment: `process.env.X`, `process.env[x]`, or the whole `process.env` passed on. */
const ENV = /\bprocess\s*\.\s*env\b/;

test('the environment is read only in server/config.ts', () => {
  const offenders = ['server', 'db', 'reports', 'bin']
    .flatMap((d) => sourceFiles(join(ROOT, d)))
    .filter((f) => toRepo(f) !== 'server/config.ts')
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => [f, i + 1, line] as const),
    )
    .filter(([, , line]) => ENV.test(line))
    .map(([f, n, line]) => `${toRepo(f)}:${n}: ${line.trim()}`);
  expect(offenders).toEqual([]);
  // server/config.ts is where they are, and the pattern sees each form of a read
  expect(ENV.test(readFileSync(join(ROOT, 'server', 'config.ts'), 'utf8'))).toBe(true);
  expect(
    ['Number(process.env.RECOVER_AFTER_SECONDS ?? 60)', 'process.env[name]', '{ ...process.env }'].filter(
      (s) => !ENV.test(s),
    ),
  ).toEqual([]);
  expect(
    ['settings.logFile()', 'config.recoverAfterSeconds', 'process.exitCode = 2'].filter((s) => ENV.test(s)),
  ).toEqual([]);
});

/** The relative imports of a file that load code at run time: every one but `import type` / `export type`. */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(IMPORT)]
    .filter((m) => !/^\s*(?:import|export)\s+type\b/.test(m[0]))
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => toRepo(resolve(dirname(file), spec)));
}

test('stores take from the reports their types only, never their code', () => {
  const offenders = sourceFiles(join(ROOT, 'db')).flatMap((f) =>
    runtimeImports(f)
      .filter((t) => within(t, 'reports'))
      .map((t) => `${toRepo(f)} imports ${t}`),
  );
  expect(offenders).toEqual([]);
  // a type import is let through, a value import is seen
  const root = mkdtempSync(join(tmpdir(), 'qd-arch-'));
  try {
    const f = join(root, 'store.ts');
    writeFileSync(f, "import type { A } from './reports/a';\nimport { b } from './reports/b';\n");
    expect(runtimeImports(f).map((t) => relative(toRepo(root), t))).toEqual(['reports/b']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
