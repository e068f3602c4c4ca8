/** Headers for a file download: an ASCII name for old clients, the UTF-8 (Chinese) name for the rest (RFC 6266). */
import type { Response } from 'express';

export function sendAsAttachment(res: Response, contentType: string, asciiName: string, utf8Name: string): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(utf8Name)}`,
  );
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
