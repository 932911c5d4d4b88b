import { describe, expect, it } from 'vitest';
import type { CommandRequest, CommandResult, ManagedConfig } from '@edgefleet/protocol';
import { StoreError } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { seedInventory } from './store-fixtures.js';

const isCode = (code: string) => (e: unknown): boolean => e instanceof StoreError && e.code === code;

function request(id: string, over: Partial<CommandRequest> = {}): CommandRequest {
  return { v: 1, id, device: 'car-1', issuedAt: 1_000, expiresAt: 31_000, command: 'set-flash', params: { on: true }, ...over };
}
function result(id: string, over: Partial<CommandResult> = {}): CommandResult {
  return { v: 1, gateway: 'gw-1', stream: 'events', seq: 7, id, device: 'car-1', status: 'ok', ts: 2_000, readBack: { mode: 'flash' }, ...over };
}
const config = (fast: string): ManagedConfig => ({
  buses: [{ id: 'rs485', kind: 'rtu', path: '/dev/ttyUSB0', baud: 9600, parity: 'even', dataBits: 8, stopBits: 1, timeout: '500ms', gap: '0ms' }],
  devices: [{ id: 'car-1', bus: 'rs485', unit: 1, profile: 'elevator-generic', enabled: true }],
  polling: { fast, normal: '10s', slow: '60s', snapshot: '15m', offlineAfter: 3, maxProbeInterval: '5m' },
  schedules: [],
});

/** Commands, desired configs, the reported config state and device removal. */
export function describeCommandsContract(store: () => Store): void {
  describe('commands', () => {
    const input = (id: string, createdAt: number, over: { gateway?: string; device?: string; expiresAt?: number } = {}) => ({
      gateway: over.gateway ?? 'gw-1',
      request: request(id, { ...(over.device === undefined ? {} : { device: over.device }), ...(over.expiresAt === undefined ? {} : { expiresAt: over.expiresAt }) }),
      createdAt, createdBy: 'user:ann',
    });

    it('stores a command pending and refuses a second one with the same id', async () => {
      const stored = await store().insertCommand(input('c1', 1_000));
      expect(stored).toEqual({
        id: 'c1', gateway: 'gw-1', device: 'car-1', request: request('c1'), state: 'pending', createdAt: 1_000,
        createdBy: 'user:ann', result: null, completedAt: null,
      });
      expect(await store().getCommand('c1')).toEqual(stored);
      await expect(store().insertCommand(input('c1', 2_000, { gateway: 'gw-2' }))).rejects.toSatisfy(isCode('STORE_CONFLICT'));
      expect(await store().getCommand('c1')).toEqual(stored);
      expect(await store().getCommand('nope')).toBeUndefined();
    });

    it('records the first result only, and only from the gateway it was sent to', async () => {
      await store().insertCommand(input('c1', 1_000));
      expect(await store().completeCommand(result('c1', { gateway: 'gw-2' }), 2_500)).toBeUndefined();
      const done = await store().completeCommand(result('c1'), 3_000);
      expect(done).toMatchObject({ id: 'c1', state: 'ok', result: result('c1'), completedAt: 3_000 });
      const again = await store().completeCommand(result('c1', { status: 'failed', reason: 'late duplicate' }), 4_000);
      expect(again).toEqual(done);
      expect(await store().getCommand('c1')).toEqual(done);
      expect(await store().completeCommand(result('unknown'), 3_000)).toBeUndefined();
    });

    it('marks pending commands unanswered once expired, and a late result still completes them', async () => {
      await store().insertCommand(input('early', 1_000, { expiresAt: 10_000 }));
      await store().insertCommand(input('late', 1_000, { expiresAt: 50_000 }));
      await store().insertCommand(input('done', 1_000, { expiresAt: 10_000 }));
      await store().completeCommand(result('done', { status: 'rejected' }), 5_000);
      // Expired before 10_000 means strictly earlier: "early" expires at exactly 10_000.
      expect(await store().markUnansweredCommands(10_000, 40_000)).toEqual([]);
      const marked = await store().markUnansweredCommands(10_001, 40_000);
      expect(marked).toEqual([expect.objectContaining({ id: 'early', state: 'unanswered', result: null, completedAt: 40_000 })]);
      expect(await store().getCommand('early')).toEqual(marked[0]);
      // Marked once: the next sweep finds nothing new; the rejected and the unexpired ones stay as they were.
      expect(await store().markUnansweredCommands(20_000, 45_000)).toEqual([]);
      expect((await store().getCommand('done'))?.state).toBe('rejected');
      expect((await store().getCommand('late'))?.state).toBe('pending');
      // The gateway did run it (its result sat in the outbox): the result replaces the verdict, once.
      const late = await store().completeCommand(result('early', { status: 'ok' }), 60_000);
      expect(late).toMatchObject({ id: 'early', state: 'ok', result: { status: 'ok' }, completedAt: 60_000 });
      expect(await store().completeCommand(result('early', { status: 'failed', seq: 8 }), 61_000)).toEqual(late);
      expect(await store().completeCommand(result('early', { gateway: 'gw-2' }), 62_000)).toBeUndefined();
    });

    it('lists newest first, by gateway and device, bounded by limit', async () => {
      await store().insertCommand(input('a', 1_000));
      await store().insertCommand(input('b', 3_000, { device: 'car-2' }));
      await store().insertCommand(input('c', 2_000, { gateway: 'gw-2' }));
      // Same ms as b: the later insert is the newer.
      await store().insertCommand(input('d', 3_000));
      const ids = async (q: Parameters<Store['listCommands']>[0]) => (await store().listCommands(q)).map((c) => c.id);
      expect(await ids({})).toEqual(['d', 'b', 'c', 'a']);
      expect(await ids({ gateway: 'gw-1' })).toEqual(['d', 'b', 'a']);
      expect(await ids({ gateway: 'gw-1', device: 'car-1' })).toEqual(['d', 'a']);
      expect(await ids({ device: 'car-2' })).toEqual(['b']);
      expect(await ids({ limit: 2 })).toEqual(['d', 'b']);
      await expect(store().listCommands({ limit: 0 })).rejects.toSatisfy(isCode('STORE_INVALID'));
    });
  });

  describe('desired configs', () => {
    it('numbers versions from 1 per gateway and lists them newest first', async () => {
      await seedInventory(store());
      await store().upsertGateway({ id: 'gw-2', site: 'site-a', name: 'B', secretHash: 'h' });
      expect(await store().latestDesiredConfig('gw-1')).toBeUndefined();
      const v1 = await store().putDesiredConfig('gw-1', config('1s'), 1_000, 'user:ann');
      expect(v1).toEqual({ gateway: 'gw-1', version: 1, config: config('1s'), createdAt: 1_000, createdBy: 'user:ann' });
      await store().putDesiredConfig('gw-1', config('2s'), 2_000, 'system');
      expect((await store().putDesiredConfig('gw-2', config('9s'), 2_500, 'system')).version).toBe(1);
      const v3 = await store().putDesiredConfig('gw-1', config('3s'), 3_000, 'user:ann');
      expect(v3.version).toBe(3);
      expect(await store().latestDesiredConfig('gw-1')).toEqual(v3);
      expect((await store().listDesiredConfigs('gw-1')).map((c) => [c.version, c.config.polling.fast])).toEqual([[3, '3s'], [2, '2s'], [1, '1s']]);
      expect((await store().listDesiredConfigs('gw-1', 2)).map((c) => c.version)).toEqual([3, 2]);
      expect(await store().listDesiredConfigs('gw-9')).toEqual([]);
    });

    it('stores a put with a base version only while that version is the latest; of concurrent ones exactly one wins', async () => {
      await seedInventory(store());
      expect((await store().putDesiredConfig('gw-1', config('1s'), 1_000, 'system', 0)).version).toBe(1);
      await expect(store().putDesiredConfig('gw-1', config('2s'), 2_000, 'system', 0)).rejects.toSatisfy(isCode('STORE_VERSION_MISMATCH'));
      await expect(store().putDesiredConfig('gw-1', config('2s'), 2_000, 'system', 7)).rejects.toThrow(/gw-1's desired config is at version 1, not 7/);
      expect((await store().putDesiredConfig('gw-1', config('2s'), 2_000, 'system', 1)).version).toBe(2);
      // Six writers that all read version 2.
      const tries = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => store().putDesiredConfig('gw-1', config(`${i + 3}s`), 3_000 + i, 'system', 2)));
      expect(tries.filter((t) => t.status === 'fulfilled').map((t) => t.value.version)).toEqual([3]);
      expect(tries.filter((t) => t.status === 'rejected').every((t) => isCode('STORE_VERSION_MISMATCH')(t.reason))).toBe(true);
      expect((await store().listDesiredConfigs('gw-1')).map((c) => c.version)).toEqual([3, 2, 1]);
    });

    it('gives concurrent puts distinct consecutive versions', async () => {
      await seedInventory(store());
      const puts = await Promise.all(Array.from({ length: 6 }, (_, i) => store().putDesiredConfig('gw-1', config(`${i + 1}s`), 1_000 + i, 'system')));
      expect(puts.map((p) => p.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store().listDesiredConfigs('gw-1')).map((c) => c.version)).toEqual([6, 5, 4, 3, 2, 1]);
    });

    it('refuses a config for an unknown gateway', async () => {
      await expect(store().putDesiredConfig('gw-9', config('1s'), 1_000, 'system')).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
    });
  });

  describe('gateway config state', () => {
    it('starts at version 0 and round-trips what the gateway reports', async () => {
      await seedInventory(store());
      expect(await store().gatewayConfigState('gw-1')).toEqual({ version: 0, appliedAt: null, rejected: null });
      const rejected = { version: 4, reason: 'bus rs485: path missing', ts: 5_000 };
      await store().setGatewayConfigState('gw-1', { version: 3, appliedAt: 4_000, rejected });
      expect(await store().gatewayConfigState('gw-1')).toEqual({ version: 3, appliedAt: 4_000, rejected });
      expect((await store().getGateway('gw-1'))?.configVersion).toBe(3);
      // Each report is the whole state: what it leaves out is cleared.
      await store().setGatewayConfigState('gw-1', { version: 4 });
      expect(await store().gatewayConfigState('gw-1')).toEqual({ version: 4, appliedAt: null, rejected: null });
    });

    it('refuses an unknown gateway', async () => {
      await expect(store().setGatewayConfigState('gw-9', { version: 1 })).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
      await expect(store().gatewayConfigState('gw-9')).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
    });
  });

  describe('device removal', () => {
    it('deletes one device and refuses an unknown one', async () => {
      await seedInventory(store());
      await store().upsertDevice({ gateway: 'gw-1', device: 'car-2', profile: 'elevator-generic', name: 'Car 2', location: null });
      await store().deleteDevice('gw-1', 'car-1');
      expect((await store().listDevices('gw-1')).map((d) => d.device)).toEqual(['car-2']);
      await expect(store().deleteDevice('gw-1', 'car-1')).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
    });
  });
}
