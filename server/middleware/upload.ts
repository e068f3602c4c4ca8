/** Multipart uploads to a temporary folder, with the size limit; UTF-8 file names restored (multer 2 decodes latin1). */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import multer from 'multer';

export function uploadMiddleware(dataDir: string, maxBytes: number) {
  const tmp = join(dataDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return multer({
    storage: multer.diskStorage({
      destination: tmp,
      filename: (_req, _file, cb) => cb(null, randomUUID()),
    }),
    limits: { fileSize: maxBytes, files: 1, fields: 30, fieldSize: 10_000 },
  }).single('file');
}

export function originalName(file: Express.Multer.File): string {
  const decoded = Buffer.from(file.originalname, 'latin1').toString('utf8');
  // only the base name, never a path the client made up
  // eslint-disable-next-line no-control-regex -- control characters never belong in a file name
  return (decoded.split(/[\\/]/).pop() ?? 'upload').replace(/[\u0000-\u001f]/g, '').slice(0, 200) || 'upload';
}
