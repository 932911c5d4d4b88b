import { StoreError } from './store-error.js';

export const DEFAULT_QUERY_LIMIT = 1000;
export const MAX_QUERY_LIMIT = 100_000;

/** Every implementation refuses the same limits (SQLite would read a negative LIMIT as "none"). */
export function checkLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(value) || value < 1 || value > MAX_QUERY_LIMIT) {
    throw new StoreError('STORE_INVALID', `query limit must be an integer in 1..${MAX_QUERY_LIMIT}, got ${value}`);
  }
  return value;
}
