// The alert history live (web/src/lib/history-live.ts): which alert events belong in the rows
// shown, and how they change them.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../web/src/api/types.js';
import { DEFAULT_FILTERS, type HistoryFilters } from '../../web/src/lib/history-filters.js';
import { appendPage, applyAlertEvent, matchesRows, type HistoryRows } from '../../web/src/lib/history-live.js';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, gateway: 'gw-a', device: 'lift-1', rule: 'entrapment', state: 'raised', severity: 'critical', message: `alert ${id}`,
  raisedAt: id * 1000, updatedAt: id * 1000, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, ...over,
});
const rowsOf = (alerts: Alert[], over: Partial<HistoryRows> = {}, f: Partial<HistoryFilters> = {}): HistoryRows => ({
  filters: { ...DEFAULT_FILTERS, ...f }, bounds: { from: 0, to: null }, alerts, more: false, ...over,
});
const ids = (r: HistoryRows): number[] => r.alerts.map((a) => a.id);
const event = (a: Alert, site = 'south') => ({ site, alert: a });

describe('alert events in the history', () => {
  it("match what GET /alerts would list for the rows' filters and bounds", () => {
    const f = rowsOf([], { bounds: { from: 5000, to: 9000 } }, { site: 'south', gateway: 'gw-a', device: 'lift-1', severity: 'critical', state: 'open' });
    expect(matchesRows(f, 'south', alert(6))).toBe(true);
    expect(matchesRows(f, 'south', alert(6, { state: 'acknowledged' }))).toBe(true); // open = raised, notified, acknowledged
    expect(matchesRows(f, 'south', alert(6, { state: 'resolved' }))).toBe(false);
    expect(matchesRows(f, 'north', alert(6))).toBe(false);
    expect(matchesRows(f, 'south', alert(6, { gateway: 'gw-b' }))).toBe(false);
    expect(matchesRows(f, 'south', alert(6, { device: 'lift-2' }))).toBe(false);
    expect(matchesRows(f, 'south', alert(6, { severity: 'minor' }))).toBe(false);
    expect(matchesRows(f, 'south', alert(4))).toBe(false); // raised before from
    expect(matchesRows(f, 'south', alert(9))).toBe(false); // to is exclusive
    expect(matchesRows(rowsOf([], {}, { state: 'acknowledged' }), 'x', alert(1, { state: 'notified' }))).toBe(false);
    expect(matchesRows(rowsOf([], {}, { state: 'all' }), 'x', alert(1, { state: 'resolved' }))).toBe(true);
  });

  it('put a new matching alert on top, in the list order', () => {
    const rows = rowsOf([alert(5), alert(3)]);
    expect(ids(applyAlertEvent(rows, event(alert(7))))).toEqual([7, 5, 3]);
    // Raised in the same millisecond as 5 with a higher id: before it, as the API lists them.
    expect(ids(applyAlertEvent(rows, event(alert(6, { raisedAt: 5000 }))))).toEqual([6, 5, 3]);
    expect(ids(applyAlertEvent(rows, event(alert(4))))).toEqual([5, 4, 3]);
    // Not matching the filters: unchanged, the same object.
    const critical = rowsOf([alert(5)], {}, { severity: 'critical' });
    expect(applyAlertEvent(critical, event(alert(7, { severity: 'minor' })))).toBe(critical);
  });

  it('leave an alert older than the last row to its page while older pages are not loaded', () => {
    expect(ids(applyAlertEvent(rowsOf([alert(5), alert(3)], { more: true }), event(alert(2))))).toEqual([5, 3]);
    expect(ids(applyAlertEvent(rowsOf([alert(5), alert(3)], { more: false }), event(alert(2))))).toEqual([5, 3, 2]);
  });

  it('update a shown alert in place; an older version changes nothing', () => {
    const rows = rowsOf([alert(5), alert(3)]);
    const acked = alert(3, { state: 'acknowledged', updatedAt: 9000, acknowledgedAt: 9000, acknowledgedBy: 'user:mona' });
    const after = applyAlertEvent(rows, event(acked));
    expect(after.alerts).toEqual([alert(5), acked]);
    expect(applyAlertEvent(after, event(alert(3, { state: 'notified', updatedAt: 8000 })))).toBe(after);
  });

  it('keep a shown alert whose new state the state filter does not show, until the next load', () => {
    const rows = rowsOf([alert(5)], {}, { state: 'open' });
    const resolved = alert(5, { state: 'resolved', updatedAt: 9000, resolvedAt: 9000 });
    expect(applyAlertEvent(rows, event(resolved)).alerts).toEqual([resolved]);
  });

  it('append an older page, knowing from its length whether more exist', () => {
    const rows = rowsOf([alert(9), alert(8)], { more: true });
    expect(appendPage(rows, [alert(7), alert(6)], 2)).toMatchObject({ more: true, alerts: [alert(9), alert(8), alert(7), alert(6)] });
    expect(appendPage(rows, [alert(7)], 2).more).toBe(false);
  });
});
