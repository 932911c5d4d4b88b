const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Converts a schema Duration ("500ms", "10s", "5m", "2h") to milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  const unit = match?.[2];
  if (!match || unit === undefined) throw new Error(`invalid duration "${text}"`);
  return Number(match[1]) * (UNIT_MS[unit] ?? 1);
}
