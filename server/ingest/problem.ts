/**
 * Validation problems are data, not exceptions (frictionless-style): a stable code, where it is
 * (sheet + A1 cell), what was found, and a message in the user's language that says how to fix it.
 */
import type { Problem } from '../rules/result';
import { message, type Lang, type MessageCode } from './messages';

export type { Problem };

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export class ProblemList {
  readonly items: Problem[] = [];
  constructor(readonly lang: Lang = 'zh') {}

  add(severity: Problem['severity'], code: MessageCode, sheet: string, cell: string, params: Record<string, string | number> = {}, value?: unknown): void {
    const p: Problem = { sheet, cell, severity, code, message: message(code, params, this.lang) };
    if (value !== undefined && value !== null && value !== '') p.value = String(value).slice(0, 200);
    this.items.push(p);
  }

  error(code: MessageCode, sheet: string, cell: string, params?: Record<string, string | number>, value?: unknown): void {
    this.add('error', code, sheet, cell, params, value);
  }

  warn(code: MessageCode, sheet: string, cell: string, params?: Record<string, string | number>, value?: unknown): void {
    this.add('warning', code, sheet, cell, params, value);
  }

  notice(code: MessageCode, sheet: string, cell: string, params?: Record<string, string | number>, value?: unknown): void {
    this.add('notice', code, sheet, cell, params, value);
  }

  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }
}
