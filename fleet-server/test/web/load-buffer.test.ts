// Live events that arrive while a view loads: kept and replayed over the snapshot, never lost to
// the snapshot overwriting them and never regressing a snapshot that is newer than they are.
import { describe, expect, it } from 'vitest';
import type { Alert, LiveEvent, SiteDevice } from '../../web/src/api/types.js';
import { applyAlert, emptyBoard, loadBoard, type BoardState } from '../../web/src/lib/alert-board.js';
import { valueOf } from '../../web/src/lib/device-values.js';
import { LoadBuffer, replay } from '../../web/src/lib/load-buffer.js';
import { applySiteEvent, isSiteEvent, unknownDevice, type SiteLive } from '../../web/src/lib/site-events.js';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, gateway: 'gw-a', device: 'lift-1', rule: 'entrapment', state: 'raised', severity: 'critical',
  message: `alert ${id}`, raisedAt: 1000 * id, updatedAt: 1000 * id, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null,
  ...over,
});

/** A board view as alert-board.tsx drives it: events go to the shown state and the buffer; the snapshot is replayed over. */
class Board {
  state: BoardState = emptyBoard;
  readonly buffer = new LoadBuffer<Alert>();
  event(a: Alert): void {
    this.buffer.offer(a);
    this.state = applyAlert(this.state, a);
  }
  loaded(token: number, open: Alert[]): void {
    const settled = this.buffer.settle(token);
    if (settled !== null) this.state = replay(loadBoard(this.state, open), settled.events, applyAlert);
  }
}

describe('alert events while the board loads', () => {
  it('applies an alert raised before the snapshot arrived over the snapshot', () => {
    const b = new Board();
    const load = b.buffer.begin();
    b.event(alert(7));
    b.loaded(load, [alert(3)]); // read before alert 7 was raised
    expect(b.state.open.map((a) => a.id)).toEqual([7, 3]);
  });

  it('does not regress a newer snapshot with an older event', () => {
    const b = new Board();
    const load = b.buffer.begin();
    b.event(alert(7)); // raised, updatedAt 7000
    b.loaded(load, [alert(7, { state: 'acknowledged', acknowledgedBy: 'user:mona', updatedAt: 9000 })]);
    expect(b.state.open).toHaveLength(1);
    expect(b.state.open[0]).toMatchObject({ id: 7, state: 'acknowledged', acknowledgedBy: 'user:mona' });
  });

  it('removes an alert resolved during the load that the snapshot still lists open', () => {
    const b = new Board();
    const load = b.buffer.begin();
    b.event(alert(7, { state: 'resolved', updatedAt: 9000, resolvedAt: 9000 }));
    b.loaded(load, [alert(7), alert(3)]);
    expect(b.state.open.map((a) => a.id)).toEqual([3]);
    expect(b.state.resolved.map((a) => a.id)).toEqual([7]);
  });

  it('reload after a reconnect: events during it survive, the shown state stays live meanwhile', () => {
    const b = new Board();
    b.loaded(b.buffer.begin(), [alert(1)]);
    const reload = b.buffer.begin();
    b.event(alert(8));
    expect(b.state.open.map((a) => a.id)).toEqual([8, 1]);
    b.loaded(reload, [alert(1), alert(2)]); // alert 2 was raised while the stream was down
    expect(b.state.open.map((a) => a.id)).toEqual([8, 2, 1]);
  });

  it('drops a superseded answer and keeps only events since the load that replaced it', () => {
    const b = new Board();
    const first = b.buffer.begin();
    b.event(alert(5));
    const second = b.buffer.begin();
    b.event(alert(6));
    b.loaded(first, []);
    expect(b.state.open.map((a) => a.id)).toEqual([6, 5]); // only the live applications so far
    const settled = b.buffer.settle(second);
    expect(settled?.events.map((a) => a.id)).toEqual([6]);
    expect(b.buffer.loading).toBe(false);
  });

  it('buffers nothing outside a load, stops on failure, ignores answers after cancel', () => {
    const buf = new LoadBuffer<number>();
    buf.offer(1);
    const t = buf.begin();
    buf.offer(2);
    expect(buf.fail(t)).toBe(true);
    expect(buf.loading).toBe(false);
    buf.offer(3);
    const u = buf.begin();
    buf.offer(4);
    expect(buf.settle(u)).toEqual({ events: [4], stale: false });
    const v = buf.begin();
    buf.cancel();
    expect(buf.settle(v)).toBeNull();
    expect(buf.fail(v)).toBe(false);
  });

  it('says the snapshot is stale instead of growing without bound', () => {
    const buf = new LoadBuffer<number>(3);
    const t = buf.begin();
    for (let i = 0; i < 10; i++) buf.offer(i);
    expect(buf.settle(t)).toEqual({ events: [], stale: true });
    const u = buf.begin();
    buf.offer(1);
    expect(buf.settle(u)).toEqual({ events: [1], stale: false });
  });
});

describe('site events replayed over a site snapshot', () => {
  const dev = (device: string, floor: number, ts: number): SiteDevice => ({
    gateway: 'gw-a', device, name: null, location: null, profile: 'liftronic-lmi-200', family: 'elevator',
    state: 'ok', gatewayStatus: 'online', lastGoodAt: ts,
    values: [{ point: 'floor', value: floor, quality: 'good', ts, name: 'Current floor', unit: 'floor' }],
  });
  const values = (device: string, floor: number, ts: number): LiveEvent => ({ type: 'values', data: { gateway: 'gw-a', site: 'site-1', device, values: [{ point: 'floor', value: floor, quality: 'good', ts }] } });
  const alertEvent = (a: Alert): LiveEvent => ({ type: 'alert', data: { change: 'raised', site: 'site-1', alert: a } });
  const snapshot = (devices: SiteDevice[], open: Alert[]): SiteLive => ({ devices, alerts: loadBoard(emptyBoard, open) });

  it('keeps the newer reading by ts, applies newer ones and alerts raised during the load', () => {
    const buf = new LoadBuffer<LiveEvent>();
    const t = buf.begin();
    for (const e of [values('lift-1', 2, 1000), values('lift-2', 5, 3000), alertEvent(alert(4))]) buf.offer(e);
    const settled = buf.settle(t);
    const data = replay(snapshot([dev('lift-1', 3, 2000), dev('lift-2', 1, 2000)], []), settled?.events ?? [], applySiteEvent);
    expect(valueOf(data.devices[0]!, 'floor')?.value).toBe(3); // the snapshot's reading is newer
    expect(valueOf(data.devices[1]!, 'floor')?.value).toBe(5);
    expect(data.alerts.open.map((a) => a.id)).toEqual([4]);
  });

  it('applies gateway status in order and leaves command events to the cabinets', () => {
    const s = snapshot([dev('lift-1', 3, 2000)], []);
    const down: LiveEvent = { type: 'gateway', data: { gateway: 'gw-a', site: 'site-1', status: 'offline', at: 5000 } };
    expect(applySiteEvent(s, down).devices[0]!.gatewayStatus).toBe('offline');
    const cmd: LiveEvent = { type: 'command', data: { site: 'site-1', command: { id: 'c1', gateway: 'gw-a', device: 'tsc-1', state: 'ok', request: {}, result: null } } };
    expect(isSiteEvent('site-1', cmd)).toBe(false);
    expect(isSiteEvent('site-2', down)).toBe(false);
    expect(isSiteEvent('site-1', down)).toBe(true);
  });

  it('names a reporting device the list does not have', () => {
    const devices = [dev('lift-1', 3, 2000)];
    expect(unknownDevice(devices, values('lift-1', 4, 3000))).toBeNull();
    expect(unknownDevice(devices, values('lift-9', 4, 3000))).toBe('gw-a/lift-9');
    expect(unknownDevice(devices, alertEvent(alert(1)))).toBeNull();
  });
});
