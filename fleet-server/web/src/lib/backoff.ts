// Reconnect delays for the live stream: 1 s, 2 s, 4 s, 8 s, then 15 s for every later attempt.

export const MAX_BACKOFF_MS = 15_000;

export function backoffMs(attempt: number): number {
  if (attempt < 0) return 1000;
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 4));
}
