import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { ManagedConfig, type Bus } from '@edgefleet/protocol';
import { MemoryLimitsStore } from '../../src/poller/limits-store.js';
import { GatewayRuntime } from '../../src/runtime/managed-runtime.js';
import { createModel, SimDevice, SimUnit } from '@edgefleet/firmware-sim';
import type { Table } from '@edgefleet/device-profiles';
import type { NewReading } from '../../src/outbox/outbox-types.js';
import { FakeModbusError, SimUnitTransport } from '../support/sim-unit-transport.js';

const registry = new ProfileRegistry(loadBuiltinProfiles());

const config = (port: number): ManagedConfig =>
  ManagedConfig.parse({
    buses: [{ id: 'tcp-a', kind: 'tcp', host: '127.0.0.1', port }],
    devices: [{ id: 'lift-a', bus: 'tcp-a', unit: 1, profile: 'liftronic-lmi-200' }],
  });

/** A transport that records open/close; close() of the first one waits until released. */
class RecordingTransport extends SimUnitTransport {
  isOpen = false;

  constructor(
    readonly bus: Bus,
    private readonly closing: () => Promise<void>,
  ) {
    super(bus.id, () => undefined);
  }

  override async open(): Promise<void> {
    this.isOpen = true;
  }

  override async close(): Promise<void> {
    await this.closing();
    this.isOpen = false;
  }
}

function gatedRuntime(): { runtime: GatewayRuntime; transports: RecordingTransport[]; closeStarted: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => undefined;
  const closeStarted = new Promise<void>((resolve) => (started = resolve));
  const transports: RecordingTransport[] = [];
  const runtime = new GatewayRuntime({
    logger: pino({ level: 'silent' }),
    sinks: { telemetry: () => undefined, events: () => undefined },
    profile: (id) => registry.get(id),
    limitsStore: new MemoryLimitsStore(),
    createTransport: (bus) => {
      const first = transports.length === 0;
      const t = new RecordingTransport(bus, async () => {
        if (!first) return;
        started();
        await gate;
      });
      transports.push(t);
      return t;
    },
  });
  return { runtime, transports, closeStarted, release };
}

describe('gateway runtime: stop during an apply', () => {
  it('waits for the apply in flight, then closes what it opened; nothing runs after stop()', async () => {
    const { runtime, transports, closeStarted, release } = gatedRuntime();
    await runtime.apply(config(1502));
    // Another port: the bus is rebuilt, and the apply blocks in closing the old transport.
    const applying = runtime.apply(config(1503));
    await closeStarted;
    const stopping = runtime.stop();
    release();
    await applying;
    await stopping;
    expect(transports.map((t) => [t.bus.kind === 'tcp' && t.bus.port, t.isOpen])).toEqual([
      [1502, false],
      [1503, false],
    ]);
    expect(runtime.current()).toBeUndefined();
  });

  it('refuses an apply after stop() with RUNTIME_STOPPED and opens nothing', async () => {
    const { runtime, transports, release } = gatedRuntime();
    release();
    await runtime.apply(config(1502));
    await runtime.stop();
    await expect(runtime.apply(config(1503))).rejects.toMatchObject({ code: 'RUNTIME_STOPPED' });
    expect(transports).toHaveLength(1);
    expect(runtime.current()).toBeUndefined();
  });

  it('refuses an apply queued behind stop() (a rollback racing the shutdown)', async () => {
    const { runtime, transports, closeStarted, release } = gatedRuntime();
    await runtime.apply(config(1502));
    const stopping = runtime.stop();
    await closeStarted;
    const late = runtime.apply(config(1503));
    release();
    await stopping;
    await expect(late).rejects.toMatchObject({ code: 'RUNTIME_STOPPED' });
    expect(transports.map((t) => t.isOpen)).toEqual([false]);
  });
});

/** A port that opens when told to (open() resolves then), failing every read until it has. */
class SlowOpenTransport extends SimUnitTransport {
  private up = false;
  /** Reads tried while the port was not open yet. */
  readsBeforeOpen = 0;
  private opened: () => void = () => undefined;
  private readonly ready = new Promise<void>((resolve) => (this.opened = resolve));

  /** The port is there now. */
  plugIn(): void {
    this.up = true;
    this.opened();
  }

  override open(): Promise<void> {
    return this.ready;
  }

  override async read(unit: number, table: Table, address: number, count: number): Promise<number[]> {
    if (!this.up) {
      this.readsBeforeOpen += 1;
      throw new FakeModbusError('MODBUS_PORT_LOST');
    }
    return super.read(unit, table, address, count);
  }
}

function slowOpenRuntime(): { runtime: GatewayRuntime; transport: SlowOpenTransport; readings: NewReading[] } {
  const profile = registry.get('liftronic-lmi-200');
  const unit = new SimUnit({ unit: 1, profile });
  new SimDevice({ id: 'lift-a', unit, model: createModel(profile, 3) }).step(Date.now());
  const transport = new SlowOpenTransport('tcp-a', (id) => (id === 1 ? unit : undefined));
  const readings: NewReading[] = [];
  const runtime = new GatewayRuntime({
    logger: pino({ level: 'silent' }),
    sinks: { telemetry: (r) => void readings.push(...r), events: () => undefined },
    profile: (id) => registry.get(id),
    limitsStore: new MemoryLimitsStore(),
    createTransport: () => transport,
  });
  return { runtime, transport, readings };
}

// Fake timers: the runtime's wait for a new port and the poller's rounds both run on them, so
// "a second went by" is exact and costs nothing.
describe('gateway runtime: start-up', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts polling once the new port has opened, so a start stores no comm-fail reading', async () => {
    const { runtime, transport, readings } = slowOpenRuntime();
    try {
      let applied = false;
      const applying = runtime.apply(config(1502)).then(() => (applied = true));
      // A second with the port still opening: the 1 s fast class would have polled several times.
      await vi.advanceTimersByTimeAsync(1_000);
      expect([applied, transport.readsBeforeOpen, readings]).toEqual([false, 0, []]);
      transport.plugIn();
      await applying;
      await vi.advanceTimersByTimeAsync(3_000);
      expect(readings.length).toBeGreaterThan(0);
      expect(readings.filter((r) => r.quality !== 'good')).toEqual([]);
    } finally {
      await runtime.stop();
    }
  });

  it('does not wait long for a port that stays missing: polling then reports it comm-fail', async () => {
    const { runtime, transport, readings } = slowOpenRuntime();
    try {
      const applying = runtime.apply(config(1502));
      await vi.advanceTimersByTimeAsync(2_000);
      await applying;
      await vi.advanceTimersByTimeAsync(3_000);
      expect(transport.readsBeforeOpen).toBeGreaterThan(0);
      expect(readings.some((r) => r.quality === 'comm-fail')).toBe(true);
    } finally {
      await runtime.stop();
    }
  });
});
