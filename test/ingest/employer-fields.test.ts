/**
 * One list of employer fields (EMPLOYER_FIELDS, server/ingest/columns.ts) drives the template, the CLI flags,
 * the API's form fields and the OpenAPI document. Each interface is asked about every field of the list,
 * so a field added to the list and missed by one of them fails here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { main } from '../../server/cli';
import {
  cliFlagOf,
  EMPLOYER_FIELDS,
  EMPLOYER_FLAGS,
  EMPLOYER_SHEET,
  type EmployerField,
  type FieldSpec,
} from '../../server/ingest/columns';
import { buildTemplate } from '../../server/ingest/template';
import { openApiDocument } from '../../server/routes/openapi';
import type { Problem } from '../../server/rules/result';
import { EMPLOYER_ATTRIBUTES, employerWith, type AttributeValues, type Employer } from '../../server/rules/types';
import { testApp, type TestApp } from '../helpers/app';
import { makeId } from '../helpers/people';

const VALID: Record<string, string> = {
  name: 'CSV公司',
  uscc: '91350100M000100Y43',
  county: '海宁市',
  unitType: '企业',
  founded: '2010-01-01',
  year: '2025',
};
const dir = mkdtempSync(join(tmpdir(), 'qd-fields-'));
const csv = join(dir, 'roster.csv');
writeFileSync(
  csv,
  [
    '姓名,身份证号,入职日期,月工资',
    ...Array.from({ length: 5 }, (_, i) => `员工${i},${makeId('1990-01-01', 'M', '330481', i)},2020-01-01,6000`),
  ].join('\n'),
);

/**
 * For each field, the inputs that make the reader speak about it: a required field left out, an optional
 * one given a value that is not valid. The answer must point at that field's flag — so the field arrived.
 */
function probe(f: FieldSpec): Record<string, string> {
  const fields = { ...VALID };
  if (f.required) delete fields[f.key];
  else fields[f.key] = 'x?';
  return fields;
}

const aboutField = (problems: Problem[], f: FieldSpec) => problems.filter((p) => p.cell === EMPLOYER_FLAGS[f.key]);
/** The API's caller sent a request field: a problem names it (its cell, or the missing field's key), never a flag. */
const aboutRequestField = (problems: Problem[], f: FieldSpec) =>
  problems.filter((p) => p.cell === f.key || p.params?.key === f.key);

test('the list names every field once, and each has its flag', () => {
  expect(new Set(EMPLOYER_FIELDS.map((f) => f.key)).size).toBe(EMPLOYER_FIELDS.length);
  expect(EMPLOYER_FLAGS).toMatchObject({
    unitType: '--unit-type',
    wageTotal: '--wage-total',
    familiesSupported: '--families-supported',
    name: '--name',
  });
  // only optional fields that can be wrong are probed with a bad value; a field of free text must be required
  expect(EMPLOYER_FIELDS.filter((f) => !f.required && f.kind === 'text')).toEqual([]);
});

/** true when A and B are the same type — identical, not merely assignable both ways. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Each attribute's value in `Employer` is of its kind's type. */
type KindsHold = {
  [A in (typeof EMPLOYER_ATTRIBUTES)[number] as A['key']]: Employer[A['key']] extends AttributeValues[A['kind']]
    ? true
    : false;
};

test('the Employer type and EMPLOYER_FIELDS name the same attributes, each of its kind (tsc checks the types)', () => {
  // type-level: a hand-written Employer, or a field list that names another attribute, does not compile
  const sameKeys: Same<keyof Employer, EmployerField['key']> = true;
  const kindsHold: Same<KindsHold[keyof KindsHold], true> = true;
  expect([sameKeys, kindsHold]).toEqual([true, true]);
  // and at run time: the sheet's rows are the attributes in their order, an employer has exactly them
  expect(EMPLOYER_FIELDS.map((f) => [f.key, f.kind, f.required])).toEqual(
    EMPLOYER_ATTRIBUTES.map((a) => [a.key, a.kind, a.required]),
  );
  const e = employerWith({
    name: VALID.name,
    uscc: VALID.uscc,
    county: '海宁市',
    unitType: '企业',
    founded: VALID.founded,
    year: 2025,
  });
  expect(Object.keys(e)).toEqual(EMPLOYER_FIELDS.map((f) => f.key));
  // an optional attribute not given holds its kind's blank
  expect(e).toMatchObject({ wageTotal: null, blindMassage: false, familiesSupported: 0, taxPreference: false });
});

test('the template lists every field', async () => {
  const wb = await buildTemplate({});
  const texts = new Set<string>();
  wb.getWorksheet(EMPLOYER_SHEET)!.eachRow((row) =>
    row.eachCell((c) => {
      texts.add(String(c.value));
    }),
  );
  expect(EMPLOYER_FIELDS.filter((f) => !texts.has(f.zh)).map((f) => f.key)).toEqual([]);
});

test('the OpenAPI document lists every field as a form field of /api/check, and nothing else beside the file and the amounts', () => {
  const schema = openApiDocument().paths['/api/check'].post.requestBody.content['multipart/form-data'].schema as {
    properties: Record<string, { type: string; enum?: string[] }>;
  };
  const props = Object.keys(schema.properties);
  expect(props.filter((k) => !['file', 'socialAverageWage', 'alreadyPaid'].includes(k))).toEqual(
    EMPLOYER_FIELDS.map((f) => f.key),
  );
  expect(schema.properties.county.enum).toContain('海宁市');
  expect(schema.properties.founded).toMatchObject({ type: 'string', format: 'date' });
});

test('the command line takes every field as its flag', async () => {
  expect(EMPLOYER_FIELDS.filter((f) => EMPLOYER_FLAGS[f.key] !== cliFlagOf(f))).toEqual([]);
  // every field at once (each command runs in its own worker): the required ones left out, the others wrong
  const probes = Object.fromEntries(EMPLOYER_FIELDS.filter((f) => !f.required).map((f) => [f.key, 'x?']));
  let out = '';
  const code = await main(
    ['check', csv, '--json', ...Object.entries(probes).flatMap(([k, v]) => [EMPLOYER_FLAGS[k], v])],
    {
      out: (s) => {
        out += s;
      },
      err: () => undefined,
      isTTY: false,
    },
  );
  expect(code).toBe(2);
  const problems = JSON.parse(out).problems as Problem[];
  expect(EMPLOYER_FIELDS.filter((f) => !aboutField(problems, f).length).map((f) => f.key)).toEqual([]);
  // and given right, the roster is checked
  let ok = '';
  expect(
    await main(['check', csv, '--json', ...Object.entries(VALID).flatMap(([k, v]) => [EMPLOYER_FLAGS[k], v])], {
      out: (s) => {
        ok += s;
      },
      err: () => undefined,
      isTTY: false,
    }),
  ).toBe(0);
  expect(JSON.parse(ok).employer).toMatchObject({
    name: 'CSV公司',
    uscc: VALID.uscc,
    county: '海宁市',
    unitType: '企业',
    year: 2025,
  });
});

describe('the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test.each(EMPLOYER_FIELDS.map((f) => [f.key, f] as const))('takes %s as a form field', async (_key, f) => {
    let req = request(t.app).post('/api/check');
    for (const [k, v] of Object.entries(probe(f))) req = req.field(k, v);
    const res = await req.attach('file', csv, 'roster.csv');
    expect(res.status).toBe(422);
    expect(aboutRequestField(res.body.problems, f)).not.toEqual([]);
    expect(aboutField(res.body.problems, f)).toEqual([]);
  });

  test('given right, the roster is checked', async () => {
    let req = request(t.app).post('/api/check');
    for (const [k, v] of Object.entries(VALID)) req = req.field(k, v);
    const res = await req.attach('file', csv, 'roster.csv');
    expect(res.status).toBe(200);
    expect(res.body.employer).toMatchObject({ name: 'CSV公司', uscc: VALID.uscc, county: '海宁市', year: 2025 });
  });
});
