import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/index.js';
import type { EnrollmentInput, Store, User } from '../../src/store/index.js';
import { seedInventory } from './store-fixtures.js';

const isCode = (code: string) => (e: unknown): boolean => e instanceof StoreError && e.code === code;
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

const ann: User = { id: 'ann', name: 'Ann Admin', role: 'admin', sites: [], createdAt: 1_000 };
const mo: User = { id: 'mo', name: 'Mo Manager', role: 'manager', sites: ['site-a'], createdAt: 1_100 };
const token = (id: string, over: Partial<{ userId: string; expiresAt: number | null; createdAt: number }> = {}) => ({
  id, userId: 'ann', label: `label ${id}`, hash: sha(`secret-${id}`), createdAt: 2_000, expiresAt: null, ...over,
});

/** Users, bearer tokens and enrollment tokens; `store` is read per test (beforeEach replaces it). */
export function describeUsersContract(store: () => Store): void {
  describe('users', () => {
    it('creates, lists, reads and deletes users', async () => {
      await seedInventory(store());
      await store().createUser(mo);
      await store().createUser(ann);
      expect(await store().listUsers()).toEqual([ann, mo]);
      expect(await store().getUser('mo')).toEqual(mo);
      await store().deleteUser('mo', 5_000);
      expect(await store().getUser('mo')).toBeUndefined();
      expect(await store().listUsers()).toEqual([ann]);
      await expect(store().deleteUser('mo', 5_000)).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
    });

    it('refuses a duplicate id, an unknown role, a manager without sites or with an unknown site', async () => {
      await seedInventory(store());
      await store().createUser(ann);
      await expect(store().createUser({ ...ann, name: 'other' })).rejects.toSatisfy(isCode('STORE_CONFLICT'));
      await expect(store().createUser({ ...ann, id: 'x', role: 'root' as User['role'] })).rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().createUser({ ...mo, sites: [] })).rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().createUser({ ...mo, sites: ['site-a', 'site-zz'] })).rejects.toSatisfy(
        (e) => isCode('STORE_INVALID')(e) && /site-zz/.test((e as Error).message));
      expect(await store().listUsers()).toEqual([ann]);
    });

    it('sets, reads, replaces and clears a password hash; gone with the user', async () => {
      await seedInventory(store());
      await store().createUser(mo);
      expect(await store().getUserPasswordHash('mo')).toBeUndefined();
      await store().setUserPasswordHash('mo', 'scrypt$1024$8$1$c2FsdA$a2V5');
      expect(await store().getUserPasswordHash('mo')).toBe('scrypt$1024$8$1$c2FsdA$a2V5');
      // The hash is not part of the user: reads and lists stay as they were.
      expect(await store().getUser('mo')).toEqual(mo);
      expect(await store().listUsers()).toEqual([mo]);
      await store().setUserPasswordHash('mo', 'scrypt$1024$8$1$b3RoZXI$b3RoZXI');
      expect(await store().getUserPasswordHash('mo')).toBe('scrypt$1024$8$1$b3RoZXI$b3RoZXI');
      await store().setUserPasswordHash('mo', null);
      expect(await store().getUserPasswordHash('mo')).toBeUndefined();
      await expect(store().setUserPasswordHash('mo', '')).rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().setUserPasswordHash('nobody', 'scrypt$x')).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
      expect(await store().getUserPasswordHash('nobody')).toBeUndefined();
      await store().setUserPasswordHash('mo', 'scrypt$1024$8$1$c2FsdA$a2V5');
      await store().deleteUser('mo', 5_000);
      expect(await store().getUserPasswordHash('mo')).toBeUndefined();
      // A user created again under the same id does not inherit the old password.
      await store().createUser(mo);
      expect(await store().getUserPasswordHash('mo')).toBeUndefined();
    });

    it('keeps no sites for admins and engineers (they see every site)', async () => {
      await seedInventory(store());
      await store().createUser({ id: 'eng', name: 'E', role: 'engineer', sites: ['site-a'], createdAt: 1 });
      expect(await store().getUser('eng')).toMatchObject({ role: 'engineer', sites: [] });
    });
  });

  describe('tokens', () => {
    it('authenticates by hash, stamps last use and returns the user', async () => {
      await store().createUser(ann);
      const created = await store().createToken(token('t1'));
      expect(created).toEqual({ id: 't1', userId: 'ann', label: 'label t1', createdAt: 2_000, expiresAt: null, revokedAt: null, lastUsedAt: null });
      const auth = await store().authenticateToken(sha('secret-t1'), 3_000);
      expect(auth).toEqual({ token: { ...created, lastUsedAt: 3_000 }, user: ann });
      expect(await store().listTokens('ann')).toEqual([{ ...created, lastUsedAt: 3_000 }]);
      // Within a minute of the last stamp a request only reads (no commit per API call) ...
      expect((await store().authenticateToken(sha('secret-t1'), 62_999))?.token.lastUsedAt).toBe(3_000);
      expect((await store().listTokens('ann'))[0]?.lastUsedAt).toBe(3_000);
      // ... and a minute on it stamps again.
      expect((await store().authenticateToken(sha('secret-t1'), 63_000))?.token.lastUsedAt).toBe(63_000);
      expect((await store().listTokens('ann'))[0]?.lastUsedAt).toBe(63_000);
      expect(await store().authenticateToken(sha('secret-unknown'), 3_000)).toBeUndefined();
      // The token text itself is not a key: only its hash is.
      expect(await store().authenticateToken('secret-t1', 3_000)).toBeUndefined();
    });

    it('refuses an expired token from its expiry on', async () => {
      await store().createUser(ann);
      await store().createToken(token('t1', { expiresAt: 10_000 }));
      expect(await store().authenticateToken(sha('secret-t1'), 9_999)).toBeDefined();
      expect(await store().authenticateToken(sha('secret-t1'), 10_000)).toBeUndefined();
      expect((await store().listTokens('ann'))[0]?.lastUsedAt).toBe(9_999);
    });

    it('refuses a revoked token and keeps the first revocation time', async () => {
      await store().createUser(ann);
      await store().createToken(token('t1'));
      await store().createToken(token('t2'));
      await store().revokeToken('t1', 4_000);
      await store().revokeToken('t1', 5_000);
      expect(await store().authenticateToken(sha('secret-t1'), 4_500)).toBeUndefined();
      expect(await store().authenticateToken(sha('secret-t2'), 4_500)).toBeDefined();
      expect((await store().listTokens('ann')).map((t) => [t.id, t.revokedAt])).toEqual([['t1', 4_000], ['t2', null]]);
      await expect(store().revokeToken('nope', 1)).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
    });

    it('revokes every token of a deleted user and keeps them listed', async () => {
      await seedInventory(store());
      await store().createUser(ann);
      await store().createUser(mo);
      await store().createToken(token('a1'));
      await store().createToken(token('m1', { userId: 'mo', createdAt: 2_100 }));
      await store().createToken(token('m2', { userId: 'mo', createdAt: 2_200 }));
      await store().revokeToken('m2', 2_500);
      await store().deleteUser('mo', 6_000);
      expect(await store().authenticateToken(sha('secret-m1'), 6_001)).toBeUndefined();
      expect((await store().listTokens('mo')).map((t) => [t.id, t.revokedAt])).toEqual([['m1', 6_000], ['m2', 2_500]]);
      expect((await store().listTokens()).map((t) => t.id)).toEqual(['a1', 'm1', 'm2']);
      expect(await store().authenticateToken(sha('secret-a1'), 6_001)).toMatchObject({ user: ann });
    });

    it('refuses a token for an unknown user and a reused id or hash', async () => {
      await store().createUser(ann);
      await expect(store().createToken(token('t0', { userId: 'ghost' }))).rejects.toSatisfy(isCode('STORE_INVALID'));
      await store().createToken(token('t1'));
      await expect(store().createToken({ ...token('t1'), hash: sha('other') })).rejects.toSatisfy(isCode('STORE_CONFLICT'));
      await expect(store().createToken({ ...token('t2'), hash: sha('secret-t1') })).rejects.toSatisfy(isCode('STORE_CONFLICT'));
      expect((await store().listTokens()).map((t) => t.id)).toEqual(['t1']);
    });
  });

  describe('enrollment', () => {
    const input: EnrollmentInput = {
      hash: sha('enroll-1'), site: 'site-a', gatewayId: 'gw-9', name: 'Tower A annex', createdAt: 1_000, expiresAt: 61_000, createdBy: 'user:ann',
    };
    const { hash: _hash, ...stored } = input;

    it('consumes a token once, before it expires', async () => {
      await seedInventory(store());
      expect(await store().createEnrollment(input)).toEqual({ ...stored, usedAt: null });
      expect(await store().consumeEnrollment(sha('enroll-unknown'), 2_000)).toBeUndefined();
      expect(await store().consumeEnrollment(input.hash, 2_000)).toEqual({ ...stored, usedAt: 2_000 });
      expect(await store().consumeEnrollment(input.hash, 2_001)).toBeUndefined();
    });

    it('finds a token used or not, to tell expired from used', async () => {
      await seedInventory(store());
      await store().createEnrollment(input);
      expect(await store().findEnrollment(input.hash)).toEqual({ ...stored, usedAt: null });
      await store().consumeEnrollment(input.hash, 2_000);
      expect(await store().findEnrollment(input.hash)).toEqual({ ...stored, usedAt: 2_000 });
      expect(await store().findEnrollment(sha('enroll-unknown'))).toBeUndefined();
    });

    it('refuses an expired token from its expiry on', async () => {
      await seedInventory(store());
      await store().createEnrollment(input);
      expect(await store().consumeEnrollment(input.hash, 61_000)).toBeUndefined();
      await store().createEnrollment({ ...input, hash: sha('enroll-2') });
      expect(await store().consumeEnrollment(sha('enroll-2'), 60_999)).toMatchObject({ usedAt: 60_999 });
    });

    it('lets exactly one of many concurrent consumers win', async () => {
      await seedInventory(store());
      await store().createEnrollment(input);
      const results = await Promise.all(Array.from({ length: 8 }, () => store().consumeEnrollment(input.hash, 3_000)));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('refuses an unknown site, a reused hash and an expiry before creation', async () => {
      await seedInventory(store());
      await expect(store().createEnrollment({ ...input, site: 'site-zz' })).rejects.toSatisfy(isCode('STORE_INVALID'));
      await store().createEnrollment(input);
      await expect(store().createEnrollment(input)).rejects.toSatisfy(isCode('STORE_CONFLICT'));
      await expect(store().createEnrollment({ ...input, hash: sha('x'), expiresAt: 1_000 })).rejects.toSatisfy(isCode('STORE_INVALID'));
    });
  });
}
