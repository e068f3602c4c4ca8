/**
 * Uploads: the file is stored and recorded BEFORE it is processed, so nothing the employer sent is lost
 * even if processing fails or the process dies. Processing reads it (progress written to the database,
 * so any instance can report it), evaluates it, and stores the result in one transaction.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { insertCheck } from '../../db/stores/checks';
import { insertCountedPersons } from '../../db/stores/cross-unit';
import type { EmployerRow } from '../../db/stores/employers';
import {
  claimUpload,
  failClaimedUpload,
  failInterruptedUpload,
  findUpload,
  insertUpload,
  listUnfinishedUploads,
  markUploadProcessed,
  renewLease,
} from '../../db/stores/uploads';
import type { Lang } from '../ingest/messages';
import { errorSummary } from '../log';
import { STORAGE_TEXT, storageFault } from '../storage';
import type { UploadPool } from '../workers/upload-pool';
import { evaluateUpload, type EmployerFactsRule, type EvaluateInput } from './evaluate-upload';
import type { ParameterService } from './parameters';
import { countedRow } from './cross-unit';
import type { CountedPerson } from './employee-keys';
import type { RegisterEntry } from '../rules/certificate-register';
import { FileUploadFiles, type UploadFiles } from './upload-files';

export interface UploadDeps {
  db: Knex;
  params: ParameterService;
  dataDir: string;
  secret: string;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Worker threads for reading workbooks; without one, uploads are evaluated in this thread. */
  pool?: UploadPool;
  /** Workbook county or unit type different from the registered ones: an error, or the registered ones win. */
  employerFacts?: EmployerFactsRule;
  /** The 残联's certificate register in force, if one was imported (docs/rules.md §4.3). */
  register?: () => Promise<{ secret: string; entries: [string, RegisterEntry][]; importId?: number } | null>;
  /** The insurer's payment records of a unit in force, if any cover it (docs/rules.md §4.4). */
  insurance?: (uscc: string) => Promise<{ secret: string; paid: [string, number, number][] } | null>;
  /** How long a claim on an upload lasts unless renewed, ms (renewed while it is processed); default 60 s. */
  leaseMs?: number;
  /** Where raw uploads are kept (default: files under DATA_DIR/uploads). */
  files?: UploadFiles;
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Automatic attempts before an interrupted upload waits for the user's retry. */
export const MAX_ATTEMPTS = 2;
export const INTERRUPTED =
  '处理过程中服务两次中断，已停止自动重试 / processing was interrupted twice; automatic retries stopped';

/** Raised inside the result's transaction when another processor took the upload over: the transaction rolls back. */
class LeaseLost extends Error {}

/** This process, as named in an upload's claim (host and process id), for the log and the operator. */
const INSTANCE = `${hostname().slice(0, 40)}:${process.pid}`;

export class UploadService {
  readonly files: UploadFiles;
  constructor(private readonly d: UploadDeps) {
    this.files = d.files ?? new FileUploadFiles(d.dataDir);
  }

  private get leaseMs(): number {
    return this.d.leaseMs ?? 60_000;
  }

  /** Stores the file under data/uploads and records it; returns the upload id. */
  async receive(
    user: { id: number; username: string },
    employer: EmployerRow,
    tempPath: string,
    fileName: string,
    size: number,
    employerForm?: Record<string, string>,
  ): Promise<string> {
    const id = randomUUID();
    const ext =
      extname(fileName)
        .toLowerCase()
        .replace(/[^.a-z]/g, '')
        .slice(0, 6) || '.bin';
    const storedName = `${id}${ext}`;
    const digest = await sha256(tempPath);
    await this.files.put(storedName, tempPath);
    await this.d.db.transaction(async (trx) => {
      await insertUpload(trx, {
        id,
        employer_id: employer.id,
        user_id: user.id,
        file_name: fileName.slice(0, 255),
        stored_name: storedName,
        size,
        sha256: digest,
        employer_form_json: employerForm ? JSON.stringify(employerForm) : null,
      });
      await appendAudit(trx, {
        actor: user.username,
        action: 'upload.received',
        target: `upload:${id}`,
        detail: { employer: employer.uscc, size, sha256: digest },
      });
    });
    return id;
  }

  /**
   * Reads and evaluates a stored upload; the result and the status change land in one transaction. A
   * failure — a hostile file, a worker that died, a full disk or a read-only data directory — marks the
   * upload failed (the user can retry it) and never escapes as a rejection: this often runs in the
   * background, after the response has gone. When even the failure cannot be written (the database is on
   * the full disk), the upload stays unfinished and recovery processes it again once storage is back.
   */
  async process(uploadId: string, employer: EmployerRow, lang: Lang = 'zh'): Promise<void> {
    const up = await findUpload(this.d.db, uploadId);
    if (!up) throw new Error(`no upload ${uploadId}`);
    if (up.purged_at) throw new Error(`upload ${uploadId} was purged under the retention rule`);
    // one processor at a time, on any instance: claimed with a lease, or left to whoever holds it; a
    // processed upload is never claimed again. Each attempt has its own name, so a run whose lease lapsed
    // and was taken over cannot store a second result.
    const owner = `${INSTANCE}:${randomBytes(6).toString('hex')}`;
    if (!(await claimUpload(this.d.db, uploadId, owner, Date.now(), this.leaseMs))) return;
    // the lease is renewed, and the rows read so far recorded, in one write per interval — not one per batch of rows
    let rowsSeen = 0;
    let rowsWritten = 0;
    const every = Math.max(200, Math.min(2000, Math.floor(this.leaseMs / 3)));
    const timer = setInterval(() => {
      const rows = rowsSeen > rowsWritten ? rowsSeen : undefined;
      if (rows !== undefined) rowsWritten = rows;
      void renewLease(this.d.db, uploadId, owner, Date.now() + this.leaseMs, rows).catch(() => undefined);
    }, every);
    timer.unref();
    let release = async (): Promise<void> => undefined;
    try {
      const stored = await this.files.open(up.stored_name);
      release = stored.release;
      const snap = await this.d.params.snapshot();
      const onProgress = (rows: number) => {
        rowsSeen = rows;
      };
      const form = up.employer_form_json ? (JSON.parse(up.employer_form_json) as Record<string, string>) : {};
      const input: EvaluateInput = {
        path: stored.path,
        fileName: up.file_name,
        lang,
        employerUscc: employer.uscc,
        secret: this.d.secret,
        // a CSV is the roster alone: the unit's details come from its account, the rest from the upload form
        employerFields: {
          name: employer.name,
          uscc: employer.uscc,
          county: employer.county,
          unitType: employer.unit_type,
          ...form,
        },
        registered: { county: employer.county, unitType: employer.unit_type },
        employerFacts: this.d.employerFacts ?? 'error',
        register: (await this.d.register?.()) ?? null,
        insurance: (await this.d.insurance?.(employer.uscc)) ?? null,
      };
      const out = await (
        this.d.pool
          ? this.d.pool.run(input, snap.extra, snap.stamp, onProgress)
          : evaluateUpload(input, snap.params, onProgress)
      ).finally(() => release());
      clearInterval(timer);
      await this.d.db.transaction(async (trx) => {
        if (!(await markUploadProcessed(trx, uploadId, out.rowsRead, owner))) throw new LeaseLost();
        const checkId = randomUUID();
        await insertCheck(trx, {
          id: checkId,
          upload_id: uploadId,
          employer_id: employer.id,
          year: out.year,
          has_problems: out.hasErrors,
          result_json: out.resultJson,
          employee_keys_json: out.keysJson,
          substance: out.substance,
        });
        // the disabled employees it counts, by key: the city-wide search for one counted twice (§4.2) reads them
        if (out.year !== null)
          await insertCountedPersons(
            trx,
            (JSON.parse(out.personsJson) as CountedPerson[]).map((p) => countedRow(checkId, employer.id, out.year!, p)),
          );
        await appendAudit(trx, {
          actor: 'system',
          action: 'upload.processed',
          target: `upload:${uploadId}`,
          detail: { problems: out.errorCount, rows: out.rowsRead },
        });
      });
    } catch (e) {
      clearInterval(timer);
      await release().catch(() => undefined);
      if (e instanceof LeaseLost) {
        this.d.log('upload taken over by another processor; this attempt stored nothing', { upload: uploadId });
        return;
      }
      const fault = storageFault(e);
      this.d.log('upload processing failed', { upload: uploadId, error: errorSummary(e), ...(fault ? { fault } : {}) });
      // what the employer reads on the upload's page: the storage text for a storage fault, else the reader's
      const shown = fault ? STORAGE_TEXT[fault][lang] : errorSummary(e);
      try {
        if (await failClaimedUpload(this.d.db, uploadId, owner, shown)) {
          await appendAudit(this.d.db, {
            actor: 'system',
            action: 'upload.failed',
            target: `upload:${uploadId}`,
            detail: { error: errorSummary(e).slice(0, 200) },
          });
        }
      } catch (e2) {
        this.d.log('upload failure not recorded; recovery will process it again', {
          upload: uploadId,
          error: errorSummary(e2),
        });
      }
    }
  }

  /**
   * Uploads left received/processing by a process that stopped (killed, crashed, restarted) and silent for
   * `staleMs` are processed again — or, after MAX_ATTEMPTS interrupted attempts, marked failed with a retry
   * button, so a file that brings the process down cannot do so in a loop. Runs at start and periodically,
   * so any instance sharing the database picks them up.
   */
  async recover(employerOf: (id: number) => Promise<EmployerRow | undefined>, staleMs = 60_000): Promise<number> {
    const stale = await listUnfinishedUploads(this.d.db, new Date(Date.now() - staleMs).toISOString());
    for (const u of stale) {
      if (u.attempts >= MAX_ATTEMPTS) {
        if (!(await failInterruptedUpload(this.d.db, u.id, INTERRUPTED))) continue;
        await appendAudit(this.d.db, {
          actor: 'system',
          action: 'upload.failed',
          target: `upload:${u.id}`,
          detail: { error: 'interrupted', attempts: u.attempts },
        });
        continue;
      }
      const employer = await employerOf(u.employer_id);
      if (employer) await this.process(u.id, employer);
    }
    return stale.length;
  }

  async discardTemp(path: string): Promise<void> {
    await rm(path, { force: true });
  }
}
