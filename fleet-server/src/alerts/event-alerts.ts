import type { GatewayEvent, Severity } from '@edgefleet/protocol';
import type { AlertKey } from '../store/store-types.js';

export const RULE_DEVICE_OFFLINE = 'device-offline';
export const RULE_BUS_DOWN = 'bus-down';

export type AlertChange =
  | { readonly kind: 'raise'; readonly key: AlertKey; readonly severity: Severity; readonly message: string; readonly at: number }
  | { readonly kind: 'clear'; readonly key: AlertKey; readonly at: number };

/** Bus alerts use "bus:{id}" as the device so they share the one-open-per-key rule. */
export function busDeviceId(bus: string): string {
  return `bus:${bus}`;
}

/** The alert change a gateway event implies, or undefined (snapshots, notices). */
export function alertChangeOf(gateway: string, event: GatewayEvent): AlertChange | undefined {
  switch (event.type) {
    case 'alarm': {
      const key = { gateway, device: event.device, rule: event.rule };
      return event.state === 'raise'
        ? { kind: 'raise', key, severity: event.severity, message: event.message, at: event.ts }
        : { kind: 'clear', key, at: event.ts };
    }
    case 'device': {
      const key = { gateway, device: event.device, rule: RULE_DEVICE_OFFLINE };
      if (event.state === 'online') return { kind: 'clear', key, at: event.ts };
      const message = `Device offline${event.reason ? `: ${event.reason}` : ''}`;
      return { kind: 'raise', key, severity: 'major', message, at: event.ts };
    }
    case 'bus': {
      const key = { gateway, device: busDeviceId(event.bus), rule: RULE_BUS_DOWN };
      if (event.state === 'up') return { kind: 'clear', key, at: event.ts };
      const message = `Bus ${event.bus} down${event.reason ? `: ${event.reason}` : ''}`;
      return { kind: 'raise', key, severity: 'major', message, at: event.ts };
    }
    default:
      return undefined;
  }
}
