/**
 * The log every layer writes to: one JSON line per event, with only the fields given — never bodies, file
 * names or anything else a user typed, so personal data cannot reach it. The request log is in
 * server/middleware/log.ts.
 */
import { appendFileSync } from 'node:fs';
import { settings } from './config';

export type Log = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * LOG_LEVEL=silent keeps stdout quiet; LOG_FILE, when set, receives every line whatever the level — the
 * test run collects the log of every app it starts there and scans it for personal data.
 */
export function makeLog(silent = settings.logSilent(), file = settings.logFile()): Log {
  return (msg, fields = {}) => {
    const line = JSON.stringify({ t: new Date().toISOString(), msg, ...fields }) + '\n';
    if (!silent) process.stdout.write(line);
    if (file) appendFileSync(file, line);
  };
}

/**
 * What of an error may be logged: knex puts the whole statement, with its values, in the message — which
 * would carry names and ID numbers into the log. Only the driver's own text after the statement is kept,
 * anything shaped like an ID number is masked, and the length is bounded.
 */
export function errorSummary(e: unknown): string {
  const err = e as { message?: string; code?: string } | null;
  let m = String(err?.message ?? e);
  const cut = m.lastIndexOf(' - ');
  if (/^\s*(insert|update|select|delete|with|create|alter|drop)\b/i.test(m) && cut > 0) m = m.slice(cut + 3);
  m = m.replace(/\d{6,}[\dXx]?/g, (d) => `${d.slice(0, 2)}…(${d.length})`);
  return `${err?.code ? `${err.code}: ` : ''}${m}`.slice(0, 300);
}
