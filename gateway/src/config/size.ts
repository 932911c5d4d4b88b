const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** What a size string looks like; the schema and parseSize share it. */
export const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)$/i;

/**
 * "64MB" → 67108864. Units are binary (1 KB = 1024 B), as disk and memory sizes are usually
 * meant; KiB/MiB/GiB are accepted as synonyms. Case-insensitive. Throws on anything else.
 */
export function parseSize(text: string): number {
  const match = SIZE_PATTERN.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const factor = unit === undefined ? undefined : UNIT_BYTES[unit];
  if (!match || factor === undefined) throw new RangeError(`invalid size "${text}": expected e.g. "512KB", "64MB" or "1.5GB"`);
  return Math.round(Number(match[1]) * factor);
}
