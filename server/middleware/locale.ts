/** Chinese by default; `?lang=en` or the `lang` cookie switch every page to English. */
import type { NextFunction, Request, Response } from 'express';

export function locale(req: Request, res: Response, next: NextFunction): void {
  const q = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  const cookie = /(?:^|;\s*)lang=(zh|en)/.exec(req.headers.cookie ?? '')?.[1];
  const lang = q === 'en' || q === 'zh' ? q : cookie === 'en' ? 'en' : 'zh';
  if (q === 'en' || q === 'zh') res.cookie('lang', q, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400_000 });
  res.locals.lang = lang;
  next();
}
