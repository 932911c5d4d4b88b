import type { Gateway, StoredHealth } from '../store/store-types.js';

/** A device's state as its gateway last reported it (the health topic); 'unknown' without a report. */
export type DeviceState = 'online' | 'offline' | 'unknown';

export interface DeviceHealthView {
  state: DeviceState;
  /** When the gateway last polled it successfully; null when not reported. */
  lastGoodAt: number | null;
}

const UNREPORTED: DeviceHealthView = { state: 'unknown', lastGoodAt: null };

/** Each device's entry of its gateway's newest health report, looked up by gateway and device. */
export class DeviceHealthIndex {
  readonly #byKey = new Map<string, DeviceHealthView>();

  constructor(reports: readonly StoredHealth[]) {
    for (const { health } of reports) {
      for (const d of health.devices) this.#byKey.set(`${health.gateway}/${d.id}`, { state: d.state, lastGoodAt: d.lastGoodAt ?? null });
    }
  }

  of(gatewayId: string, deviceId: string): DeviceHealthView {
    return this.#byKey.get(`${gatewayId}/${deviceId}`) ?? UNREPORTED;
  }
}

/**
 * "Down" on the dashboard (docs/api.md "Overview"): its gateway is offline (nothing it reports
 * can be trusted), or the gateway's newest health report says the device is offline. A device
 * the gateway has not reported on (state unknown) is not counted down.
 */
export function isDeviceDown(gatewayStatus: Gateway['status'] | undefined, state: DeviceState): boolean {
  return gatewayStatus === 'offline' || state === 'offline';
}
