/**
 * Fills `{name}` placeholders in a message — the one implementation behind UI strings (`tr`), CLI text
 * and ingestion problems. A missing or null value becomes `missing(name)` (default: nothing).
 */
export function fill(
  text: string,
  vars: Record<string, unknown>,
  missing: (name: string) => string = () => '',
): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) =>
    vars[k] !== undefined && vars[k] !== null ? String(vars[k]) : missing(k),
  );
}
