import type { ApiToken } from './store-api-types.js';

/** Whether a token still authenticates at `at`: not revoked and not expired (the stores' bearer lookup asks the same in SQL). */
export function isTokenLiveAt(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, at: number): boolean {
  return token.revokedAt === null && (token.expiresAt === null || token.expiresAt > at);
}
