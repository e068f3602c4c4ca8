/**
 * Code cites the rulebook as `docs/rules.md §N`: every section cited must exist in docs/rules.md, under
 * the same number, so a reader can follow any citation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const RULEBOOK = join(ROOT, 'docs', 'rules.md');
const SCANNED = ['server', 'db', 'reports', 'test', 'views', 'bin'];
const EXTENSIONS = /\.(ts|js|yaml|yml|hbs|json)$/;

/** Section numbers of the rulebook's headings: "## 6. The rules" → "6", "### 6.1 …" → "6.1". */
export function sectionsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s/gm)) out.add(m[1]);
  return out;
}

export interface Citation {
  where: string;
  section: string;
}

/**
 * The sections cited after `docs/rules.md` in a text: "§6.1", "§5–§6.3",
 * "§2, §8", "§4 step 2.3" (a step of §4 is cited by its section).
 */
export function citationsIn(text: string, where: string): Citation[] {
  const out: Citation[] = [];
  for (const m of text.matchAll(/docs\/rules\.md (§[0-9.]+(?:(?:\s*[–,-]\s*|\s+and\s+)§[0-9.]+)*)/g)) {
    for (const s of m[1].matchAll(/§(\d+(?:\.\d+)*)/g)) out.push({ where, section: s[1].replace(/\.$/, '') });
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules') return [];
    return statSync(p).isDirectory() ? files(p) : EXTENSIONS.test(f) ? [p] : [];
  });
}

function allCitations(): Citation[] {
  const self = resolve(__filename);
  return SCANNED.flatMap((d) => files(join(ROOT, d)))
    .filter((f) => f !== self)
    .flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return text.split('\n').flatMap((line, i) => citationsIn(line, `${relative(ROOT, f)}:${i + 1}`));
    });
}

test('the rulebook numbers §1–§10 as the rules and §11–§16 as the annual procedure, each once', () => {
  const headings = [...readFileSync(RULEBOOK, 'utf8').matchAll(/^##\s+(\d+)\.\s/gm)].map((m) => Number(m[1]));
  expect(headings).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
});

test('every section the code cites exists in docs/rules.md', () => {
  const sections = sectionsOf(readFileSync(RULEBOOK, 'utf8'));
  const cited = allCitations();
  // the engine, ingestion and reports cite the rulebook throughout; finding none means the scan is broken
  expect(cited.length).toBeGreaterThan(30);
  const missing = cited.filter((c) => !sections.has(c.section)).map((c) => `${c.where} §${c.section}`);
  expect(missing).toEqual([]);
});

test('the rulebook is cited only as docs/rules.md: no citation names a file outside the repository', () => {
  const self = resolve(__filename);
  const former = new RegExp(['SPEC\\s+§', 'SPEC\\.md', 'PROCEDURE\\.md', 'parameters\\.md'].join('|'));
  const offenders = SCANNED.flatMap((d) => files(join(ROOT, d)))
    .filter((f) => f !== self)
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, i, line })))
    .filter(({ line }) => former.test(line))
    .map(({ f, i }) => `${relative(ROOT, f)}:${i + 1}`);
  expect(offenders).toEqual([]);
});

test('a citation of a section the rulebook lacks is found', () => {
  const sections = sectionsOf('## 6. The rules\n\n### 6.1 Quota\n\n### 6.2 Concentrated\n');
  expect([...sections]).toEqual(['6', '6.1', '6.2']);
  const cited = citationsIn(' * docs/rules.md §6.1, §6.9 and §5–§6.2; docs/rules.md §4 step 2.3', 'x.ts:1');
  expect(cited.map((c) => c.section)).toEqual(['6.1', '6.9', '5', '6.2', '4']);
  expect(cited.filter((c) => !sections.has(c.section)).map((c) => c.section)).toEqual(['6.9', '5', '4']);
});
