import { describe, expect, it } from 'vitest';
import { ApiError, errorText } from '../../web/src/api/api-error.js';
import type { Alert } from '../../web/src/api/types.js';
import { applyAlert, deviceAlerts, emptyBoard, loadBoard } from '../../web/src/lib/alert-board.js';
import { liftFault } from '../../web/src/lib/lift-fault.js';
import { parseRoute } from '../../web/src/lib/router.js';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id,
  gateway: 'gw',
  device: 'lift-a',
  rule: 'r',
  state: 'raised',
  severity: 'minor',
  message: `alert ${id}`,
  raisedAt: 1000 + id,
  updatedAt: 1000 + id,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  ...over,
});

describe("a device card's open alerts", () => {
  it("are the device's own, most severe first, then newest", () => {
    const open = [alert(1), alert(2, { severity: 'critical' }), alert(3, { device: 'lift-b', severity: 'critical' }), alert(4), alert(5, { gateway: 'other' })];
    expect(deviceAlerts(open, 'gw', 'lift-a').map((a) => a.id)).toEqual([2, 4, 1]);
  });

  it('follow the live alert events: raised adds, resolved removes', () => {
    let board = loadBoard(emptyBoard, [alert(1)]);
    board = applyAlert(board, alert(2, { severity: 'critical' }));
    expect(deviceAlerts(board.open, 'gw', 'lift-a').map((a) => a.id)).toEqual([2, 1]);
    board = applyAlert(board, alert(2, { severity: 'critical', state: 'resolved', updatedAt: 5000 }));
    expect(deviceAlerts(board.open, 'gw', 'lift-a').map((a) => a.id)).toEqual([1]);
  });
});

describe("a lift's Fault row", () => {
  it('says the open alert when the fault code is none', () => {
    const trapped = alert(7, { severity: 'critical', message: 'Passenger trapped between floors' });
    expect(liftFault('none', 'none', [trapped])).toEqual({ text: 'Passenger trapped between floors', fromAlert: true, alarm: true });
    expect(liftFault(null, '—', [trapped])).toMatchObject({ fromAlert: true, alarm: true });
  });

  it('says the fault code when there is one, and none without alerts', () => {
    expect(liftFault('door-motor', 'door-motor', [alert(1)])).toEqual({ text: 'door-motor', fromAlert: false, alarm: true });
    expect(liftFault('none', 'none', [])).toEqual({ text: 'none', fromAlert: false, alarm: false });
  });
});

describe('error messages on the page', () => {
  it('say what kind of failure, then the server message', () => {
    expect(errorText(new ApiError(403, 'FORBIDDEN', 'needs role admin or engineer; you are manager'))).toBe('You are not allowed to see or do this (needs role admin or engineer; you are manager).');
    expect(errorText(new ApiError(404, 'NOT_FOUND', 'no site x'))).toBe('Not found, or not one of your sites (no site x).');
    expect(errorText(new ApiError(0, 'NETWORK', 'no answer from the fleet server'))).toBe('The fleet server cannot be reached (no answer from the fleet server).');
    expect(errorText(new ApiError(500, 'INTERNAL', 'internal error'))).toBe('The fleet server failed (internal error).');
    expect(errorText(new ApiError(400, 'INVALID_REQUEST', 'query.from: bad'))).toBe('query.from: bad');
    expect(errorText(new Error('boom'))).toBe('boom');
  });

  it('a malformed hash is a page not found, not a crash', () => {
    expect(parseRoute('#/sites/%')).toEqual({ view: 'not-found', hash: '#/sites/%' });
    expect(parseRoute('#/sites/a%20b')).toEqual({ view: 'site', site: 'a b' });
    expect(parseRoute('#/alerts/history')).toEqual({ view: 'alert-history' });
    expect(parseRoute('#/alerts/history/x')).toEqual({ view: 'not-found', hash: '#/alerts/history/x' });
    expect(parseRoute('#/gateways')).toEqual({ view: 'gateways' });
    expect(parseRoute('#/gateways/gw%2Fa')).toEqual({ view: 'gateway', gateway: 'gw/a' });
  });
});
