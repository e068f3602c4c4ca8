/**
 * The one error type the application raises for an answer the user gets (not a fault): its kind says
 * what went wrong in the domain's terms; server/middleware/errors.ts maps the kind to an HTTP status once,
 * and answers with a page or JSON by `Accept`. `userText` says what to do, in Chinese and English.
 */
export type ErrorKind =
  | 'bad-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'too-large'
  | 'invalid'
  | 'too-many'
  | 'internal'
  | 'unavailable'
  | 'storage-full';

export const STATUS_OF: Record<ErrorKind, number> = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'too-large': 413,
  invalid: 422,
  'too-many': 429,
  internal: 500,
  unavailable: 503,
  'storage-full': 507,
};

export interface UserText {
  zh: string;
  en: string;
}

export class DomainError extends Error {
  /**
   * `message` goes to API callers (with `code`, a stable identifier when there is one); `userText` is
   * shown on the page, so a refusal the user can fix says how.
   */
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly userText?: UserText,
    readonly code?: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_OF[this.kind];
  }
}

export const notFound = (message = 'not found', userText?: UserText) => new DomainError('not-found', message, userText);
export const forbidden = (message = 'forbidden', userText?: UserText) =>
  new DomainError('forbidden', message, userText);
export const invalid = (message: string, userText?: UserText, code?: string) =>
  new DomainError('invalid', message, userText, code);
export const conflict = (message: string, userText?: UserText, code?: string) =>
  new DomainError('conflict', message, userText, code);

/** The kind for a status (for code that still speaks in statuses, e.g. HttpError). */
export function kindOf(status: number): ErrorKind {
  const hit = (Object.entries(STATUS_OF) as [ErrorKind, number][]).find(([, s]) => s === status);
  return hit ? hit[0] : 'internal';
}
