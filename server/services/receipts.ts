/**
 * The receipt (回执) of a submission: a number the employer can quote, and a verification code anyone can
 * use to see the same headline figures (no personal data). The code is the submission id with a keyed
 * hash of it, so codes cannot be guessed from one another and nothing new is stored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { normaliseTypedCode } from './typed-code';

const HASH_CHARS = 12;

function tag(secret: string, id: number): string {
  return createHmac('sha256', secret).update(`receipt:${id}`).digest('base64url').slice(0, HASH_CHARS);
}

/** "R2025-000012-1": data year, submission id, version. */
export function receiptNumber(s: { id: number; year: number; version: number }): string {
  return `R${s.year}-${String(s.id).padStart(6, '0')}-${s.version}`;
}

/** The verification code printed on the receipt and carried by its link: "12-Xk3…". */
export function receiptCode(secret: string, id: number): string {
  return `${id}-${tag(secret, id)}`;
}

/** The submission id a code proves, or null for a code that was not issued. */
export function verifyReceiptCode(secret: string, code: string): number | null {
  const m = /^(\d{1,12})-([A-Za-z0-9_-]{12})$/.exec(normaliseTypedCode(code));
  if (!m) return null;
  const id = Number(m[1]);
  const want = Buffer.from(tag(secret, id)),
    got = Buffer.from(m[2]);
  return want.length === got.length && timingSafeEqual(want, got) ? id : null;
}
