import { describe, expect, it } from 'vitest';
import type { Alert } from '../../web/src/api/types.js';
import { applyAlert, emptyBoard, loadBoard, RECENTLY_RESOLVED } from '../../web/src/lib/alert-board.js';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, gateway: 'gw-a', device: 'lift-1', rule: 'entrapment', state: 'raised', severity: 'critical',
  message: `alert ${id}`, raisedAt: 1000 * id, updatedAt: 1000 * id, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null,
  ...over,
});

describe('alert board state', () => {
  it('lists open alerts newest raised first and drops resolved ones from a load', () => {
    const b = loadBoard(emptyBoard, [alert(1), alert(3), alert(2), alert(4, { state: 'resolved' })]);
    expect(b.open.map((a) => a.id)).toEqual([3, 2, 1]);
  });

  it('inserts a new alert in order and replaces an updated one', () => {
    let b = loadBoard(emptyBoard, [alert(1), alert(3)]);
    b = applyAlert(b, alert(2));
    expect(b.open.map((a) => a.id)).toEqual([3, 2, 1]);
    b = applyAlert(b, alert(2, { state: 'acknowledged', acknowledgedBy: 'user:mona', updatedAt: 5000 }));
    expect(b.open.map((a) => a.id)).toEqual([3, 2, 1]);
    expect(b.open[1]!.acknowledgedBy).toBe('user:mona');
  });

  it('ignores a late older version of an alert', () => {
    let b = applyAlert(emptyBoard, alert(5, { state: 'acknowledged', updatedAt: 9000 }));
    b = applyAlert(b, alert(5, { state: 'notified', updatedAt: 6000 }));
    expect(b.open[0]!.state).toBe('acknowledged');
  });

  it('moves resolved alerts to a short recently-resolved list and never back', () => {
    let b = loadBoard(emptyBoard, [alert(1), alert(2)]);
    b = applyAlert(b, alert(1, { state: 'resolved', updatedAt: 7000 }));
    expect(b.open.map((a) => a.id)).toEqual([2]);
    expect(b.resolved.map((a) => a.id)).toEqual([1]);
    b = applyAlert(b, alert(1, { state: 'acknowledged', updatedAt: 6000 }));
    expect(b.open.map((a) => a.id)).toEqual([2]);
    for (let i = 10; i < 10 + RECENTLY_RESOLVED + 3; i++) b = applyAlert(b, alert(i, { state: 'resolved' }));
    expect(b.resolved).toHaveLength(RECENTLY_RESOLVED);
    expect(b.resolved[0]!.id).toBe(10 + RECENTLY_RESOLVED + 2);
  });
});
