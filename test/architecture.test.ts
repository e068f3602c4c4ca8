/** server/rules is pure: it imports nothing outside server/rules and no I/O module. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RULES = resolve(__dirname, '..', 'server', 'rules');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('rules/ imports only rules/ and no I/O', () => {
  const offenders: string[] = [];
  for (const f of files(RULES)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/from\s+'([^']+)'/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        if (!resolve(f, '..', spec).startsWith(RULES)) offenders.push(`${f}: ${spec}`);
      } else offenders.push(`${f}: ${spec}`);
    }
    if (/process\.|require\(|Date\.now|new Date\(\)/.test(src)) offenders.push(`${f}: uses process/require/clock`);
  }
  expect(offenders).toEqual([]);
});
