/**
 * The running app backs itself up every BACKUP_EVERY_HOURS into BACKUP_DIR and keeps the newest BACKUP_KEEP
 * archives (server/services/backup.ts). Several instances on one database tick independently; the turn is
 * taken through a lock row in the database (db/stores/backup.ts, a compare-and-set), so each turn is taken by
 * exactly one of them, and a claim whose instance died expires after the lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { claimScheduledBackup, lastScheduledBackup, releaseScheduledBackup } from '../../db/stores/backup';
import { createBackup, pruneBackups, type Installation } from './backup';

export interface ScheduleSettings {
  dir: string;
  everyHours: number;
  keep: number;
}

export interface TickOutcome {
  /** the archive written, when this instance took the turn */
  file?: string;
  /** archives removed to keep the newest `keep` */
  pruned?: string[];
}

export class BackupSchedule {
  /** this instance, as it appears in the lock row */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** a claim lasts this long unless released (a backup of a large installation takes minutes) */
  readonly leaseMs: number;

  constructor(
    private readonly inst: Installation,
    private readonly settings: ScheduleSettings,
    opts: { leaseMs?: number } = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 6 * 3600_000;
  }

  get enabled(): boolean {
    return this.settings.everyHours > 0;
  }

  /** Takes the turn when one is due and no other instance holds it; writes the archive, prunes, releases. */
  async tick(now = new Date()): Promise<TickOutcome> {
    if (!this.enabled) return {};
    const everyMs = this.settings.everyHours * 3600_000;
    if (!(await claimScheduledBackup(this.inst.db, this.holder, everyMs, this.leaseMs, now.getTime()))) return {};
    const started = Date.now();
    try {
      const r = await createBackup(this.inst, this.settings.dir, now);
      const pruned = await pruneBackups(this.settings.dir, this.settings.keep);
      // finished: the tick's clock plus the time the backup took
      const finished = new Date(now.getTime() + (Date.now() - started)).toISOString();
      await releaseScheduledBackup(this.inst.db, this.holder, finished);
      return { file: r.file, pruned };
    } catch (e) {
      await releaseScheduledBackup(this.inst.db, this.holder, null).catch(() => undefined);
      throw e;
    }
  }

  /** When the last scheduled backup finished, by whichever instance. */
  last(): Promise<string | null> {
    return lastScheduledBackup(this.inst.db);
  }
}
