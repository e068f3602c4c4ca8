/**
 * A parameter's value shape is written once for the engine (ParameterValues, server/rules/parameters/values.ts)
 * and checked by its zod schema (VALUE_SCHEMAS, server/params/schema.ts). The two must be the same type, and
 * a rule reads a value by its parameter's id, which names the type. Type-level checks: tsc fails on them
 * (`npm test` runs tsc), and the run-time half asks the shipped table.
 */
import type { z } from 'zod';
import { shippedParameters } from '../../server/params/load-parameters';
import { fieldLabel, valueFields } from '../../server/params/form';
import { VALUE_SCHEMAS } from '../../server/params/schema';
import type { ParameterValues, ParamId } from '../../server/rules/parameters/values';

/** true when A and B are the same type — identical, not merely assignable both ways (an extra optional property counts). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** For each id: does the schema's inferred type equal the engine's value type? */
type Agree = { [K in ParamId]: Same<z.infer<(typeof VALUE_SCHEMAS)[K]>, ParameterValues[K]> };

test("every parameter's schema infers exactly the value type the engine reads", () => {
  const sameIds: Same<keyof typeof VALUE_SCHEMAS, ParamId> = true;
  const agree: Same<Agree[ParamId], true> = true;
  expect([sameIds, agree]).toEqual([true, true]);
  // the ids at run time: one schema per id, and the shipped table has each
  const p = shippedParameters();
  expect(Object.keys(VALUE_SCHEMAS).filter((id) => !p.has(id))).toEqual([]);
});

test("a value is read by its parameter's id, and the id names its type", () => {
  const p = shippedParameters();
  const poverty = p.at('reward-poverty-relief-base', '2025-06-30').value;
  const tier = p.at('county-tier', '2025-06-30', '海宁市').value;
  // @ts-expect-error — the id names the type: the poverty-relief base's two multiples are not a number
  const wrong: number = p.at('reward-poverty-relief-base', '2025-06-30').value;
  // @ts-expect-error — and an id that is not a parameter cannot be read
  expect(() => p.at('no-such-parameter', '2025-06-30')).toThrow();
  expect(typeof wrong).toBe('object');
  expect(typeof poverty.perFamily).toBe('number');
  expect([1, 2, 3, 4]).toContain(tier);
});

test("every field of every parameter's administration form is named in both languages", () => {
  const unnamed = Object.keys(VALUE_SCHEMAS).flatMap((id) =>
    valueFields(id).flatMap((f) =>
      (['zh', 'en'] as const)
        .filter((lang) => fieldLabel(id, f, lang).includes('bureau.parameters.'))
        .map((lang) => `${id}.${f.path.join('.')} (${lang})`),
    ),
  );
  expect(unnamed).toEqual([]);
  // the check reads the labels: the poverty-relief base's two multiples have theirs
  expect(
    valueFields('reward-poverty-relief-base').map((f) => fieldLabel('reward-poverty-relief-base', f, 'zh')),
  ).toEqual(['扶贫基地带动个人（月数）', '扶贫基地辐射家庭（月数）']);
});
