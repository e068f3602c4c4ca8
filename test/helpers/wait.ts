/**
 * Waiting for a state, not for a time: `f` is asked again every `everyMs` until it returns a value other
 * than undefined. How long that takes depends on the machine's load, so the deadline is only a guard
 * against a state that never comes (the test's own timeout usually ends it first).
 */
export async function waitFor<T>(
  what: string,
  f: () => Promise<T | undefined>,
  { everyMs = 100, deadlineMs = 300_000 } = {},
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
