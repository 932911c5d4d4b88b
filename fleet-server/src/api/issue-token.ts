import { randomBytes } from 'node:crypto';
import type { ApiStore } from '../store/store-api.js';
import type { ApiToken } from '../store/store-api-types.js';
import { hashApiToken, newApiToken } from './api-auth.js';

export interface IssuedToken {
  token: ApiToken;
  /** The bearer text: shown once, stored only as its SHA-256. */
  text: string;
}

/** Creates a token for `userId` and returns its text; the store keeps only the hash. */
export async function issueToken(
  store: Pick<ApiStore, 'createToken'>,
  input: { userId: string; label: string; at: number; expiresAt: number | null; text?: string },
): Promise<IssuedToken> {
  const text = input.text ?? newApiToken();
  const token = await store.createToken({
    id: `tok_${randomBytes(8).toString('hex')}`, userId: input.userId, label: input.label, hash: hashApiToken(text),
    createdAt: input.at, expiresAt: input.expiresAt,
  });
  return { token, text };
}
