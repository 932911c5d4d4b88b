// The site view's live data: its devices' latest values and gateway status, and its open
// alerts, with one live event applied. Pure, so the same function serves live updates and the
// replay of events that arrived while the site was loading (lib/load-buffer.ts): every branch
// is an idempotent upsert that keeps the newer version (values by ts, alerts by updatedAt).
import type { LiveEvent, SiteDevice } from '../api/types.js';
import { applyAlert, type BoardState } from './alert-board.js';
import { applyValues } from './device-values.js';

export interface SiteLive {
  devices: SiteDevice[];
  alerts: BoardState;
}

/** The events of `site` that change what the site view shows (commands are the cabinets' own). */
export function isSiteEvent(site: string, e: LiveEvent): boolean {
  return e.data.site === site && e.type !== 'command';
}

export function applySiteEvent<T extends SiteLive>(data: T, e: LiveEvent): T {
  switch (e.type) {
    case 'values':
      return { ...data, devices: applyValues(data.devices, e.data.gateway, e.data.device, e.data.values) };
    case 'gateway': {
      const { gateway, status } = e.data;
      return { ...data, devices: data.devices.map((x) => (x.gateway === gateway ? { ...x, gatewayStatus: status } : x)) };
    }
    case 'alert':
      return { ...data, alerts: applyAlert(data.alerts, e.data.alert) };
    case 'command':
      return data;
  }
}

/**
 * The `gateway/device` key of a values event's device when the list does not have it (added to
 * the site after the list was loaded), else null.
 */
export function unknownDevice(devices: readonly SiteDevice[], e: LiveEvent): string | null {
  if (e.type !== 'values') return null;
  const { gateway, device } = e.data;
  return devices.some((d) => d.gateway === gateway && d.device === device) ? null : `${gateway}/${device}`;
}
