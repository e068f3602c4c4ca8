/** Headers for a file download: an ASCII name for old clients, the UTF-8 (Chinese) name for the rest (RFC 6266). */
import type { Response } from 'express';

export function sendAsAttachment(res: Response, contentType: string, asciiName: string, utf8Name: string): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(utf8Name)}`,
  );
}

/**
 * A download's name from its parts, joined by "-": the unit's name, the data year and what the file is
 * (嘉兴示例精密机械有限公司-2025年度-标注问题.xlsx); characters a file system refuses become "_".
 */
export function downloadName(parts: (string | number)[], ext: string): string {
  const name = parts
    .map((p) =>
      String(p)
        .replace(/[\\/:*?"<>|\r\n\t]/g, '_')
        .trim(),
    )
    .filter(Boolean)
    .join('-');
  return `${name.slice(0, 150)}.${ext}`;
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
