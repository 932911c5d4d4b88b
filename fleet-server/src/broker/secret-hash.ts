import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters; N must be a power of two (RFC 7914 §2). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** Interactive-login cost from RFC 7914 §2 (N=2^14): ~50 ms and 16 MiB a verification. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 16384, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;

function deriveKey(secret: string, salt: Buffer, cost: ScryptCost, keyLength: number): Promise<Buffer> {
  // maxmem: node's default (32 MiB) is exceeded from N=2^15, r=8; allow what the cost needs.
  const maxmem = 256 * cost.N * cost.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** Hashes a secret as `scrypt$N$r$p$salt$hash` (salt and hash in base64url) with a fresh random salt. */
export async function hashSecret(secret: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(secret, salt, cost, KEY_BYTES);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

/** Parses a stored hash; throws a RangeError naming the bad field (a corrupt store must be loud). */
export function parseSecretHash(stored: string): ParsedHash {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new RangeError('secret hash: expected "scrypt$N$r$p$salt$hash"');
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  for (const [field, value] of Object.entries(cost)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`secret hash: bad ${field} "${String(value)}"`);
  }
  const parsed = { cost, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
  if (parsed.salt.length === 0 || parsed.key.length === 0) throw new RangeError('secret hash: empty salt or hash');
  return parsed;
}

/** True when `secret` matches `stored`; the comparison is constant-time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const { cost, salt, key } = parseSecretHash(stored);
  const candidate = await deriveKey(secret, salt, cost, key.length);
  return timingSafeEqual(candidate, key);
}
