/** Multipart uploads to a temporary folder, with the size limit; UTF-8 file names restored (multer 2 decodes latin1). */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { t } from '../i18n/t';
import { HttpError } from './errors';

export function uploadMiddleware(dataDir: string, maxBytes: number) {
  const tmp = join(dataDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const parse = multer({
    storage: multer.diskStorage({
      destination: tmp,
      filename: (_req, _file, cb) => cb(null, randomUUID()),
    }),
    limits: { fileSize: maxBytes, files: 1, fields: 30, fieldSize: 10_000 },
  }).single('file');
  // a body the multipart parser cannot read (a NUL or CR inside a part header, a form cut short) is the
  // client's fault: 400 with what to do, not a 500. File-system errors (they carry a code) pass through.
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      const parserError =
        err instanceof Error && !(err instanceof multer.MulterError) && !(err as { code?: string }).code;
      next(
        parserError
          ? new HttpError(400, 'malformed multipart body', {
              zh: t('upload.malformed', 'zh'),
              en: t('upload.malformed', 'en'),
            })
          : err,
      );
    });
}

export function originalName(file: Express.Multer.File): string {
  const decoded = Buffer.from(file.originalname, 'latin1').toString('utf8');
  // only the base name, never a path the client made up
  // nor control characters, nor bidirectional controls (U+202A–202E, U+2066–2069, marks), which make
  // "evil\u202Excod.exe" read as "evilexe.docx"
  return (
    (decoded.split(/[\\/]/).pop() ?? 'upload')
      // eslint-disable-next-line no-control-regex -- control characters never belong in a file name
      .replace(/[\u0000-\u001f\u007f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, '')
      .slice(0, 200) || 'upload'
  );
}
