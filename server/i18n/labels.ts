/** Coded values in words (through the catalogues) and masking of personal data — shared by CLI, views and reports. */
import { label } from './t';

/** Groups of coded values whose words are in the message catalogues under `<group>.<code>`. */
export const STATUS = 'status';
export const EXCLUSION = 'exclusion';
export const REWARD = 'reward';
export const SUBSIDY = 'subsidy';
export const EXEMPTION = 'exemption';
export const SEVERITY = 'severity';

export { label };

/** Masks a name for display: 张三 → 张*, 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/** Masks an ID or certificate number: 330481199001011234 → 3304**********1234. */
export function maskId(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/**
 * A value quoted from a workbook, for display: a run of 14 or more digits (an ID or certificate number, or a
 * typo of one) is masked — also when typed with spaces or dashes between the digits (3304 8119 9001 011234).
 */
export function maskDigits(value: string): string {
  return value.replace(/\d(?:[ \u3000\t-]?\d){13,}(?:[ \u3000\t-]?[\dXx])*/g, (d) =>
    maskId(d.replace(/[ \u3000\t-]/g, '')),
  );
}
