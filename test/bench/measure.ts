/**
 * One measurement in a fresh process, so its peak RSS is its own. Modes, all on the same file:
 *   floor    — inflate every part (node's zlib), decode UTF-8, find every tag: the least any reader does
 *   reader   — QuotaDesk's reader (server/ingest/xlsx): every row of every sheet as cells
 *   exceljs  — the exceljs streaming reader QuotaDesk used before, every row's values reduced to cells
 *   saxes    — the same inflater with the saxes XML tokenizer building the same cells (a candidate)
 *   sheetjs  — SheetJS (@e965/xlsx), whole workbook read into memory (a candidate)
 *   full     — quota check: file guard + read + validation + evaluation, then every employee compared with
 *              what the synthetic generator wrote (name, ID number, dates, 用工形式, wage)
 * Prints {ms, cpuMs, peakMB, rows, cells, garbled, checked}: cpuMs = CPU time of every thread of the
 * process (zlib inflates on the thread pool), steadier than wall time on a shared machine; garbled =
 * string cells holding U+FFFD.
 */
import type ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { toCells } from '../../server/ingest/cell-value';
import { ingestFile } from '../../server/ingest';
import type { Cell } from '../../server/ingest/fields/result';
import { DEFAULT_LIMITS } from '../../server/ingest/limits';
import { readSheetRows, readWorkbookInfo } from '../../server/ingest/xlsx/workbook';
import { ZipFile } from '../../server/ingest/xlsx/zip';
import { shippedParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import { syntheticEmployee } from './synthetic';

interface Count {
  rows: number;
  cells: number;
  garbled: number;
  checked: number;
}
const counted = (): Count => ({ rows: 0, cells: 0, garbled: 0, checked: 0 });

function tally(c: Count, cells: Cell[]): void {
  c.rows++;
  for (const v of cells) {
    if (v === null || v === undefined) continue;
    c.cells++;
    if (typeof v === 'string' && v.includes('\uFFFD')) c.garbled++;
  }
}

async function floor(file: string): Promise<Count> {
  const c = counted();
  const zip = ZipFile.open(file, DEFAULT_LIMITS);
  for (const e of zip.entries) {
    if (!e.name.endsWith('.xml')) continue;
    for await (const s of zip.text(e)) for (let i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) c.cells++;
  }
  return c;
}

async function reader(file: string): Promise<Count> {
  const c = counted();
  const zip = ZipFile.open(file, DEFAULT_LIMITS);
  const book = await readWorkbookInfo(zip);
  for (const s of book.sheets)
    if (s.part)
      await readSheetRows(zip, s.part, book, (cells) => {
        tally(c, cells);
      });
  return c;
}

async function exceljs(file: string): Promise<Count> {
  const { default: Excel } = await import('exceljs');
  const c = counted();
  const wb = new Excel.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  for await (const ws of wb)
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) tally(c, toCells(row.values));
  return c;
}

/** Strings, numbers and booleans with saxes (no date styles: a lower bound for a saxes-based reader). */
async function saxes(file: string): Promise<Count> {
  const { SaxesParser } = await import('saxes');
  const c = counted();
  const zip = ZipFile.open(file, DEFAULT_LIMITS);
  const sst: string[] = [];
  const parse = async (name: string, on: (p: InstanceType<typeof SaxesParser>) => void) => {
    const e = zip.get(name);
    if (!e) return;
    const p = new SaxesParser();
    on(p);
    for await (const s of zip.text(e)) p.write(s);
    p.close();
  };
  let text = '',
    inT = false;
  await parse('xl/sharedStrings.xml', (p) => {
    p.on('opentag', (t) => {
      if (t.name === 'si') text = '';
      else if (t.name === 't') inT = true;
    });
    p.on('closetag', (t) => {
      if (t.name === 't') inT = false;
      else if (t.name === 'si') sst.push(text);
    });
    p.on('text', (s) => {
      if (inT) text += s;
    });
  });
  for (const e of zip.entries.filter((x) => /^xl\/worksheets\/[^/]+\.xml$/.test(x.name))) {
    let cells: Cell[] = [],
      type = '',
      v = '',
      inV = false,
      col = 0;
    await parse(e.name, (p) => {
      p.on('opentag', (t) => {
        if (t.name === 'row') cells = [];
        else if (t.name === 'c') {
          type = String(t.attributes.t ?? '');
          col = cells.length + 1;
          v = '';
        } else if (t.name === 'v' || t.name === 't') inV = true;
      });
      p.on('text', (s) => {
        if (inV) v += s;
      });
      p.on('closetag', (t) => {
        if (t.name === 'v' || t.name === 't') inV = false;
        else if (t.name === 'c')
          cells[col] =
            type === 's'
              ? sst[Number(v)]
              : type === 'inlineStr' || type === 'str'
                ? v
                : type === 'b'
                  ? v === '1'
                  : v === ''
                    ? null
                    : parseFloat(v);
        else if (t.name === 'row') tally(c, cells);
      });
    });
  }
  return c;
}

async function sheetjs(file: string): Promise<Count> {
  const XLSX = await import('@e965/xlsx');
  const c = counted();
  const wb = XLSX.read(readFileSync(file), { dense: true, cellDates: true, cellHTML: false, cellFormula: false });
  for (const name of wb.SheetNames) {
    const rows = (wb.Sheets[name] as unknown as { '!data'?: ({ v?: unknown } | undefined)[][] })['!data'] ?? [];
    for (const r of rows)
      tally(
        c,
        (r ?? []).map((x) => (x?.v ?? null) as Cell),
      );
  }
  return c;
}

const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

let afterCheck: (() => void) | null = null;

async function full(file: string): Promise<Count> {
  const params = shippedParameters();
  const r = await ingestFile(file, { fileName: basename(file), params });
  if (r.hasErrors || !r.employer) throw new Error(`unexpected problems: ${JSON.stringify(r.problems.slice(0, 3))}`);
  const result = check(r.employer, r.employees, params);
  if (!(result.annual.avgStaff > 0)) throw new Error('no staff counted');
  afterCheck = () => verify(r);
  return { rows: r.rowsRead, cells: 0, garbled: 0, checked: r.employees.length };
}

/** CHECKS VALUES (after the clock stops): every employee against what the generator wrote. */
function verify(r: Awaited<ReturnType<typeof ingestFile>>): void {
  const wrong: string[] = [];
  r.employees.forEach((e, i) => {
    const w = syntheticEmployee(i);
    if (
      e.name !== w.name ||
      e.idNumber !== w.id ||
      e.hired !== iso(w.hired) ||
      e.left !== iso(w.left) ||
      e.form !== w.form ||
      e.wagesFen[0] !== w.wage * 100
    )
      wrong.push(`row ${e.row}`);
  });
  if (wrong.length)
    throw new Error(
      `${wrong.length} employees read differently from what was written: ${wrong.slice(0, 5).join(', ')}`,
    );
}

const MODES: Record<string, (file: string) => Promise<Count>> = { floor, reader, exceljs, saxes, sheetjs, full };

async function run() {
  const [mode, file] = process.argv.slice(2);
  if (mode === 'full') shippedParameters(); // parameter files are read once at start-up, not per check
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const c = await MODES[mode](file);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakMB = process.resourceUsage().maxRSS / 1024;
  afterCheck?.();
  process.stdout.write(JSON.stringify({ ms, cpuMs, peakMB, ...c }) + '\n');
}

run().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
