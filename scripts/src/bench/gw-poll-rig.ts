import { setTimeout as sleep } from 'node:timers/promises';
import { Profile } from '@edgefleet/device-profiles';
import type { Bus, Device } from '@edgefleet/protocol';
import { pino } from 'pino';
import type { ModbusTransport } from '../../../gateway/src/modbus/index.js';
import { MemoryLimitsStore, Poller } from '../../../gateway/src/poller/index.js';

/**
 * A device of `registers` consecutive uint16 holding registers from address 0, all in the fast
 * class: the planner merges them into one FC03 read, so one poll cycle is one transaction.
 */
export function benchPollProfile(registers: number): Profile {
  return Profile.parse({
    version: 1,
    id: `bench-poll-${registers}`,
    vendor: 'EdgeFleet',
    model: 'bench',
    family: 'generic',
    source: 'benchmark fixture',
    points: Array.from({ length: registers }, (_, i) => ({ id: `r${i}`, name: `Register ${i}`, table: 'holding', address: i, type: 'uint16', poll: 'fast' })),
  });
}

/** Where a transaction's time went, from the transport's side (means over the window, ms). */
export interface TransportTiming {
  /** transport.read() call to its reply: request out, line time, reply back, library work. */
  readMs: number;
  /** End of one read to the start of the next: the scheduler's silence plus its dispatch. */
  gapMs: number;
}

export interface GatewayWindow {
  /** Transactions the bus scheduler completed in the window (stats delta). */
  transactions: number;
  /** Failed transactions in the window, by error code. */
  errors: Record<string, number>;
  elapsedMs: number;
  /** Window bounds as epoch milliseconds with sub-ms precision (comparable across processes). */
  fromEpochMs: number;
  toEpochMs: number;
  timing: TransportTiming;
}

/** Wall-clock time with performance.now's resolution, comparable between processes. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Wraps a transport to time its reads: how long each took, and the idle time before it since
 * the previous read ended. Reads only (the benchmark issues nothing else).
 */
function timedTransport(inner: ModbusTransport): { transport: ModbusTransport; reset(): void; timing(): TransportTiming } {
  let reads = 0;
  let readMs = 0;
  let gaps = 0;
  let gapMs = 0;
  let lastEnd: number | undefined;
  const transport: ModbusTransport = {
    busId: inner.busId,
    kind: inner.kind,
    open: () => inner.open(),
    close: () => inner.close(),
    state: () => inner.state(),
    onStateChange: (listener) => inner.onStateChange(listener),
    writeRegisters: (...args) => inner.writeRegisters(...args),
    writeCoils: (...args) => inner.writeCoils(...args),
    read: async (...args) => {
      const start = performance.now();
      if (lastEnd !== undefined) {
        gaps++;
        gapMs += start - lastEnd;
      }
      try {
        return await inner.read(...args);
      } finally {
        lastEnd = performance.now();
        reads++;
        readMs += lastEnd - start;
      }
    },
  };
  return {
    transport,
    reset: () => {
      reads = 0;
      readMs = 0;
      gaps = 0;
      gapMs = 0;
    },
    timing: () => ({ readMs: reads > 0 ? readMs / reads : 0, gapMs: gaps > 0 ? gapMs / gaps : 0 }),
  };
}

const failed = (errors: Record<string, number>): number => Object.values(errors).reduce((a, b) => a + b, 0);

/**
 * Runs the gateway's polling engine (Poller → BusScheduler → transport) on one bus with
 * `units` devices of `profile`, polled every 1 ms so the bus is saturated: every device always
 * has a missed tick waiting and resubmits the moment its cycle ends. Sinks only count (no
 * outbox, no broker): the benchmark is about the bus. Counts completed transactions from the
 * scheduler's stats over `windowMs` after `warmupMs`. The transport must be open; it stays open.
 */
export async function measureGatewayPolling(opts: {
  bus: Bus;
  transport: ModbusTransport;
  profile: Profile;
  units: number;
  warmupMs: number;
  windowMs: number;
}): Promise<GatewayWindow> {
  const timed = timedTransport(opts.transport);
  const devices: Device[] = Array.from({ length: opts.units }, (_, i) => ({ id: `dev-${i + 1}`, bus: opts.bus.id, unit: i + 1, profile: opts.profile.id, enabled: true }));
  const poller = new Poller(
    { buses: [opts.bus], devices, polling: { fast: '1ms', normal: '1ms', slow: '1ms', snapshot: '15m', offlineAfter: 3, maxProbeInterval: '5m' } },
    {
      logger: pino({ level: 'silent' }),
      sinks: { telemetry: () => undefined, events: () => undefined },
      transport: () => timed.transport,
      profile: () => opts.profile,
      limitsStore: new MemoryLimitsStore(),
    },
  );
  const bus = (): { transactions: number; errors: Record<string, number> } => {
    const health = poller.busHealth()[0];
    if (health === undefined) throw new Error('gw bench: the poller has no bus');
    return { transactions: health.transactions, errors: health.errors };
  };
  await poller.start();
  try {
    await sleep(opts.warmupMs);
    const before = bus();
    timed.reset();
    const fromEpochMs = epochNow();
    await sleep(opts.windowMs);
    const after = bus();
    const timing = timed.timing();
    const toEpochMs = epochNow();
    const errors: Record<string, number> = {};
    for (const [code, n] of Object.entries(after.errors)) if (n > (before.errors[code] ?? 0)) errors[code] = n - (before.errors[code] ?? 0);
    return {
      transactions: after.transactions - before.transactions - failed(errors),
      errors,
      elapsedMs: toEpochMs - fromEpochMs,
      fromEpochMs,
      toEpochMs,
      timing,
    };
  } finally {
    await poller.stop();
  }
}
