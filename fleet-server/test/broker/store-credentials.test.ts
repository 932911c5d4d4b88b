import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/broker/secret-hash.js';
import { StoreCredentials } from '../../src/broker/store-credentials.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { CHEAP_SCRYPT } from './mqtt-helpers.js';

describe('StoreCredentials', () => {
  let dir: string;
  let store: SqliteStore;
  let lookups: string[];
  let creds: StoreCredentials;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-store-creds-'));
    store = SqliteStore.open({ path: path.join(dir, 'fleet.sqlite') });
    await store.upsertSite({ id: 'default', name: 'Default', timezone: 'UTC' });
    lookups = [];
    creds = new StoreCredentials({ getGateway: (id) => (lookups.push(id), store.getGateway(id)) }, CHEAP_SCRYPT);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the hash from the store at every check: added and re-keyed gateways take effect at once', async () => {
    expect(await creds.verify('gw-a', 'alpha')).toBe(false);
    await store.upsertGateway({ id: 'gw-a', site: 'default', name: 'A', secretHash: await hashSecret('alpha', CHEAP_SCRYPT) });
    expect(await creds.verify('gw-a', 'alpha')).toBe(true);
    expect(await creds.verify('gw-a', 'bravo')).toBe(false);
    await store.upsertGateway({ id: 'gw-a', site: 'default', name: 'A', secretHash: await hashSecret('bravo', CHEAP_SCRYPT) });
    expect(await creds.verify('gw-a', 'alpha')).toBe(false);
    expect(await creds.verify('gw-a', 'bravo')).toBe(true);
    expect(lookups).toEqual(['gw-a', 'gw-a', 'gw-a', 'gw-a', 'gw-a']);
  });

  it('refuses an id that is not a slug without asking the store', async () => {
    expect(await creds.verify('GW/../a', 'alpha')).toBe(false);
    expect(lookups).toEqual([]);
  });

  it('is loud about a corrupt hash in the store (the broker answers "server unavailable")', async () => {
    await store.upsertGateway({ id: 'gw-b', site: 'default', name: 'B', secretHash: 'plaintext-by-mistake' });
    await expect(creds.verify('gw-b', 'x')).rejects.toThrow(/secret hash: expected "scrypt\$N\$r\$p\$salt\$hash"/);
  });
});
