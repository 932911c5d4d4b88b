import { formatTable } from '../profile/format-table.js';

/** A listing: JSON for scripts (--json), else a table (or `empty` when there are no rows). */
export function printListing<T>(items: readonly T[], opts: { json?: boolean | undefined }, headers: readonly string[], row: (item: T) => readonly string[], empty: string): void {
  if (opts.json === true) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    process.stdout.write(`${empty}\n`);
    return;
  }
  process.stdout.write(formatTable(headers, items.map(row)));
}

/** One object for scripts (--json), else the lines for people. */
export function printResult(value: unknown, opts: { json?: boolean | undefined }, lines: () => string): void {
  process.stdout.write(opts.json === true ? `${JSON.stringify(value, null, 2)}\n` : `${lines()}\n`);
}

/** "12s ago", "3m ago", "2h ago", "4d ago"; "never" for null. */
export function ago(ts: number | null, now = Date.now()): string {
  if (ts === null) return 'never';
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}
