import { describe, it, expect } from 'vitest';
import { MemoryCredentials } from '../../src/broker/credentials.js';
import { hashSecret, parseSecretHash, verifySecret } from '../../src/broker/secret-hash.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('secret hashing (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashSecret('s3cret', CHEAP), hashSecret('s3cret', CHEAP)]);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const stored = await hashSecret('s3cret', CHEAP);
    expect(await verifySecret('s3cret', stored)).toBe(true);
    expect(await verifySecret('s3cret ', stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
  });

  it.each([
    ['bcrypt$1$2$3$a$b', /expected/],
    ['scrypt$x$8$1$c2FsdA$aGFzaA', /bad N/],
    ['scrypt$1024$8$1$$aGFzaA', /empty salt/],
  ])('a corrupt stored hash %s is a clear error', (stored, message) => {
    expect(() => parseSecretHash(stored)).toThrow(message);
  });
});

describe('MemoryCredentials', () => {
  it('verifies per gateway and refuses unknown gateways', async () => {
    const creds = new MemoryCredentials(CHEAP);
    await creds.add('gw-a', 'alpha');
    await creds.add('gw-b', 'bravo');
    expect(await creds.verify('gw-a', 'alpha')).toBe(true);
    expect(await creds.verify('gw-a', 'bravo')).toBe(false);
    expect(await creds.verify('gw-c', 'alpha')).toBe(false);
    expect(creds.remove('gw-a')).toBe(true);
    expect(await creds.verify('gw-a', 'alpha')).toBe(false);
  });

  it('refuses bad gateway ids and empty secrets', async () => {
    const creds = new MemoryCredentials(CHEAP);
    await expect(creds.add('GW/A', 'x')).rejects.toThrow(/invalid gateway id/);
    await expect(creds.add('gw-a', '')).rejects.toThrow(/empty secret/);
  });
});
