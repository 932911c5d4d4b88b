import type * as z from 'zod';
import type { BusHealth as BusHealthSchema, DeviceHealth as DeviceHealthSchema } from '@edgefleet/protocol';
import type { NewEvent, NewReading } from '../outbox/outbox-types.js';

/** Where the poller's output goes: the outbox in production, arrays in tests. */
export interface PollerSinks {
  telemetry(readings: NewReading[]): void;
  events(events: NewEvent[]): void;
}

/** protocol's DeviceHealth and BusHealth schemas as types (protocol exports only the schemas). */
export type DeviceHealth = z.infer<typeof DeviceHealthSchema>;
export type BusHealth = z.infer<typeof BusHealthSchema>;
