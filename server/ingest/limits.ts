/** Limits a hostile file cannot get past; each problem names the limit it hit. */
export interface IngestLimits {
  maxFileBytes: number;
  maxRows: number;
  /** Total uncompressed size of all zip entries. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed, per entry. */
  maxCompressionRatio: number;
  maxZipEntries: number;
}

export const DEFAULT_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxFileBytes: 30 * 1024 * 1024,
  maxRows: 200_000,
  maxUncompressedBytes: 600 * 1024 * 1024,
  maxCompressionRatio: 250,
  maxZipEntries: 2_000,
});

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
