import { pino } from 'pino';
import type { NewEvent, NewReading, OutboxApi } from '../../src/outbox/outbox-types.js';
import { Uplink } from '../../src/uplink/index.js';
import type { UplinkDeps, UplinkOptions } from '../../src/uplink/index.js';

export const GATEWAY = 'gw-test';
export const SOFTWARE = '0.1.0-test';

export function makeUplink(port: number, outbox: OutboxApi, deps: Partial<UplinkDeps> = {}, options: Partial<UplinkOptions> = {}): Uplink {
  return new Uplink(
    { gatewayId: GATEWAY, outbox, logger: pino({ level: 'silent' }), softwareVersion: SOFTWARE, configStatus: { version: 3 }, ...deps },
    { url: `mqtt://127.0.0.1:${port}`, backoff: { initialMs: 50, maxMs: 200 }, stopDeadlineMs: 1_000, ...options },
  );
}

/** Resolves on the uplink's next connect (or at once when already connected). */
export function connected(uplink: Uplink, ms = 10_000): Promise<void> {
  if (uplink.isConnected()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`uplink did not connect within ${ms} ms`));
    }, ms);
    const off = uplink.onConnectionChange((up) => {
      if (!up) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export function reading(i: number, device = 'lift-1', ts = 1_700_000_000_000 + i): NewReading {
  return { device, point: 'car-position', ts, value: i, quality: 'good' };
}

export function alarm(i: number, ts = 1_700_000_000_000 + i): NewEvent {
  return { type: 'alarm', ts, device: 'lift-1', rule: 'entrapment', state: i % 2 === 0 ? 'raise' : 'clear', severity: 'critical', message: `entrapment ${i}`, values: { 'door-state': 'closed' } };
}

export function cmdResult(id: string, ts = 1_700_000_000_000): NewEvent {
  return { type: 'cmd-result', result: { id, device: 'cabinet-1', status: 'ok', ts, readBack: { mode: 'flash' } } };
}
