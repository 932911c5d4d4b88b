import { describe, expect, it } from 'vitest';
import type { Severity, WireValue } from '@edgefleet/protocol';
import { StoreError } from '../../src/store/index.js';
import type { AlertQuery, Store } from '../../src/store/index.js';
import { describeCommandsContract } from './store-contract-commands.js';
import { describeUsersContract } from './store-contract-users.js';
import { alarm, reading } from './store-fixtures.js';

const isCode = (code: string) => (e: unknown): boolean => e instanceof StoreError && e.code === code;
const H = 3_600_000;
/** A whole UTC hour well after 0, so readings an hour earlier still have ts >= 0. */
const T0 = 100 * H;

/** Two sites, a gateway on each; alerts also exist for gw-3, which is in no inventory. */
async function seedAlerts(s: Store): Promise<number[]> {
  await s.upsertSite({ id: 'site-a', name: 'A', timezone: 'UTC' });
  await s.upsertSite({ id: 'site-b', name: 'B', timezone: 'UTC' });
  await s.upsertGateway({ id: 'gw-1', site: 'site-a', name: 'A1', secretHash: 'h' });
  await s.upsertGateway({ id: 'gw-2', site: 'site-b', name: 'B1', secretHash: 'h' });
  const open = async (gateway: string, device: string, severity: Severity, at: number) =>
    (await s.openAlert({ gateway, device, rule: 'entrapment' }, { severity, message: 'm', at })).alert.id;
  const a1 = await open('gw-1', 'car-1', 'critical', 1_000);
  const a2 = await open('gw-1', 'car-2', 'major', 2_000);
  const a3 = await open('gw-2', 'car-1', 'minor', 3_000);
  const a4 = await open('gw-3', 'car-1', 'critical', 4_000);
  await s.transitionAlert(a2, 'acknowledged', 2_100, 'user:ann');
  await s.transitionAlert(a3, 'resolved', 3_100);
  return [a1, a2, a3, a4];
}

/** Alert listing, rollups and retention, plus the users/commands sub-suites: every ApiStore method. */
export function describeApiContract(store: () => Store): void {
  describeUsersContract(store);
  describeCommandsContract(store);

  describe('alert queries', () => {
    it('lists newest raised first and narrows by every filter, combined with AND', async () => {
      const [a1, a2, a3, a4] = await seedAlerts(store());
      const ids = async (q: AlertQuery) => (await store().listAlerts(q)).map((a) => a.id);
      expect(await ids({})).toEqual([a4, a3, a2, a1]);
      expect(await ids({ states: ['raised', 'acknowledged'] })).toEqual([a4, a2, a1]);
      expect(await ids({ sites: ['site-a'] })).toEqual([a2, a1]);
      expect(await ids({ sites: ['site-a', 'site-b'] })).toEqual([a3, a2, a1]);
      expect(await ids({ gateway: 'gw-1' })).toEqual([a2, a1]);
      expect(await ids({ device: 'car-1' })).toEqual([a4, a3, a1]);
      expect(await ids({ severities: ['critical', 'minor'] })).toEqual([a4, a3, a1]);
      expect(await ids({ from: 2_000, to: 4_000 })).toEqual([a3, a2]);
      expect(await ids({ limit: 2 })).toEqual([a4, a3]);
      expect(await ids({ sites: ['site-a'], device: 'car-1', states: ['raised'], severities: ['critical'], from: 1_000, to: 1_001 })).toEqual([a1]);
      expect(await ids({ sites: ['site-b'], states: ['raised'] })).toEqual([]);
      expect((await store().listAlerts({ states: ['acknowledged'] }))[0]).toMatchObject({ id: a2, acknowledgedBy: 'user:ann', acknowledgedAt: 2_100 });
    });

    it('pages older with a (raisedAt, id) cursor: same-millisecond alerts neither repeated nor skipped', async () => {
      const [a1, a2, a3, a4] = await seedAlerts(store());
      // Two more raised in a4's millisecond, so one page boundary falls inside a tie.
      const tie = async (device: string) => (await store().openAlert({ gateway: 'gw-1', device, rule: 'tie' }, { severity: 'info', message: 'm', at: 4_000 })).alert.id;
      const t1 = await tie('car-7');
      const t2 = await tie('car-8');
      const page = async (q: AlertQuery) => (await store().listAlerts(q)).map((a) => ({ id: a.id, raisedAt: a.raisedAt }));
      const first = await page({ limit: 2 });
      expect(first.map((a) => a.id)).toEqual([t2, t1]);
      const second = await page({ limit: 2, before: first[1] });
      expect(second.map((a) => a.id)).toEqual([a4, a3]);
      expect((await page({ limit: 2, before: second[1] })).map((a) => a.id)).toEqual([a2, a1]);
      expect(await page({ before: { raisedAt: 1_000, id: a1 ?? 0 } })).toEqual([]);
      // The cursor combines with the other filters.
      expect((await page({ sites: ['site-a'], before: { raisedAt: 4_000, id: t2 } })).map((a) => a.id)).toEqual([t1, a2, a1]);
    });

    it('matches nothing for an empty list filter (a manager with no sites sees nothing, not everything)', async () => {
      await seedAlerts(store());
      expect(await store().listAlerts({ sites: [] })).toEqual([]);
      expect(await store().listAlerts({ states: [] })).toEqual([]);
      await expect(store().listAlerts({ limit: -1 })).rejects.toSatisfy(isCode('STORE_INVALID'));
    });

    it('lists the notifications of one alert, oldest first', async () => {
      const [a1, a2] = await seedAlerts(store());
      const note = (key: string, alertId: number | null) =>
        store().enqueueNotification({ key, alertId, recipient: '+4915100000001', body: key, notBefore: 1_000, createdAt: 1_000 });
      const n1 = await note('a1:step:1', a1 ?? null);
      await note('a2:step:1', a2 ?? null);
      const n2 = await note('a1:step:2', a1 ?? null);
      await note('other', null);
      expect(await store().listNotificationsForAlert(a1 ?? 0)).toEqual([n1, n2]);
      expect(await store().listNotificationsForAlert(999_999)).toEqual([]);
    });
  });

  describe('hourly rollups', () => {
    const temp = (seq: number, ts: number, value: WireValue) => reading(seq, { point: 'temp', ts, value });
    const flag = (seq: number, ts: number, value: boolean) => reading(seq, { point: 'flag', ts, value });
    const query = (point: string) => ({ gateway: 'gw-1', device: 'car-1', point, from: 0, to: 1e15 });

    async function ingestDataSet(): Promise<void> {
      await store().ingestTelemetry('gw-1', [
        temp(1, T0 - 1, 999), // the hour before: outside the range rolled up
        temp(2, T0 + 1_000, 10), temp(3, T0 + 2_000, 20.5), temp(4, T0 + 2_500, 'x'), temp(5, T0 + 3_000, true),
        temp(6, T0 + H - 1, 4),
        temp(7, T0 + H + 10, 7), temp(8, T0 + H + 20, 'door open'),
        reading(9, { point: 'temp', ts: T0 + 2 * H, value: null, quality: 'comm-fail' }),
        temp(10, T0 + 3 * H, 1), // toHour is exclusive
        flag(20, T0 + 100, false), flag(22, T0 + 200, true), flag(21, T0 + 200, false),
        reading(23, { point: 'bits', ts: T0 + 300, value: [true, false] }),
      ]);
      await store().ingestTelemetry('gw-2', [temp(1, T0 + 5, 50)]);
    }

    it('counts numbers and booleans, keeps the newest value of any type as last', async () => {
      await ingestDataSet();
      // temp: 3 hours, flag: 1, bits: 1 on gw-1; temp: 1 on gw-2.
      expect(await store().rollupHours(T0, T0 + 3 * H)).toBe(6);
      const rows = await store().rollups(query('temp'));
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({ gateway: 'gw-1', device: 'car-1', point: 'temp', hour: T0, count: 4, min: 1, max: 20.5, last: 4, lastTs: T0 + H - 1 });
      expect(rows[0]?.avg).toBeCloseTo(35.5 / 4, 12);
      expect(rows[1]).toEqual({ gateway: 'gw-1', device: 'car-1', point: 'temp', hour: T0 + H, count: 1, min: 7, max: 7, avg: 7, last: 'door open', lastTs: T0 + H + 20 });
      expect(rows[2]).toEqual({ gateway: 'gw-1', device: 'car-1', point: 'temp', hour: T0 + 2 * H, count: 0, min: null, max: null, avg: null, last: null, lastTs: T0 + 2 * H });
      // Equal ts: the later seq is the last reading.
      const [f] = await store().rollups(query('flag'));
      expect(f).toMatchObject({ count: 3, min: 0, max: 1, last: true, lastTs: T0 + 200 });
      expect(f?.avg).toBeCloseTo(1 / 3, 12);
      expect(await store().rollups(query('bits'))).toMatchObject([{ count: 0, min: null, last: [true, false] }]);
      expect(await store().rollups({ ...query('temp'), gateway: 'gw-2' })).toMatchObject([{ hour: T0, count: 1, avg: 50 }]);
      expect((await store().rollups({ ...query('temp'), from: T0 + H, to: T0 + 2 * H })).map((r) => r.hour)).toEqual([T0 + H]);
      expect((await store().rollups({ ...query('temp'), limit: 1 })).map((r) => r.hour)).toEqual([T0]);
    });

    it('is idempotent, picks up late readings on a rerun and keeps rollups of pruned hours', async () => {
      await ingestDataSet();
      await store().rollupHours(T0, T0 + 3 * H);
      const first = await store().rollups(query('temp'));
      expect(await store().rollupHours(T0, T0 + 3 * H)).toBe(6);
      expect(await store().rollups(query('temp'))).toEqual(first);
      await store().ingestTelemetry('gw-1', [temp(30, T0 + H + 30, 100)]);
      expect(await store().rollupHours(T0 + H, T0 + 2 * H)).toBe(1);
      expect((await store().rollups(query('temp')))[1]).toMatchObject({ count: 2, min: 7, max: 100, avg: 53.5, last: 100 });
      await store().prune({ telemetryBefore: T0 + 10 * H, seqsBefore: 0, eventsBefore: 0 });
      expect(await store().rollupHours(T0, T0 + 3 * H)).toBe(0);
      expect((await store().rollups(query('temp'))).map((r) => r.count)).toEqual([4, 2, 0]);
    });

    it('refuses bounds that are not whole hours or run backwards', async () => {
      await expect(store().rollupHours(T0 + 1, T0 + H)).rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().rollupHours(T0 + H, T0)).rejects.toSatisfy(isCode('STORE_INVALID'));
      expect(await store().rollupHours(T0, T0)).toBe(0);
    });
  });

  describe('retention', () => {
    it('deletes by age in each of the three tables and reports the counts', async () => {
      await store().ingestTelemetry('gw-1', [1, 2, 3, 4, 5].map((s) => reading(s)), 100); // ts 1 000 … 5 000
      await store().ingestEvents('gw-1', [alarm(1), alarm(2), alarm(3)], 200); // ts 5 001 … 5 003
      const result = await store().prune({ telemetryBefore: 3_000, seqsBefore: 150, eventsBefore: 5_003 });
      expect(result).toEqual({ telemetryDeleted: 2, receivedSeqsDeleted: 5, eventsDeleted: 2 });
      const rows = await store().telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 });
      expect(rows.map((r) => r.ts)).toEqual([3_000, 4_000, 5_000]);
      expect((await store().events({ gateway: 'gw-1' })).map((e) => e.seq)).toEqual([3]);
      // The telemetry ledger rows are gone, so a (very late) resend is stored again; the events ledger was kept.
      expect(await store().ingestTelemetry('gw-1', [reading(1)], 300)).toEqual({ stored: 1, duplicates: 0 });
      expect(await store().ingestEvents('gw-1', [alarm(1)], 300)).toEqual({ stored: 0, duplicates: 1 });
      expect(await store().prune({ telemetryBefore: 0, seqsBefore: 0, eventsBefore: 0 })).toEqual({ telemetryDeleted: 0, receivedSeqsDeleted: 0, eventsDeleted: 0 });
    });

    it('refuses a cutoff that is not an epoch ms', async () => {
      await expect(store().prune({ telemetryBefore: -1, seqsBefore: 0, eventsBefore: 0 })).rejects.toSatisfy(isCode('STORE_INVALID'));
    });
  });
}
