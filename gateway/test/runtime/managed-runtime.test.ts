import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { ManagedConfig, type Bus } from '@edgefleet/protocol';
import { MemoryLimitsStore } from '../../src/poller/limits-store.js';
import { GatewayRuntime } from '../../src/runtime/managed-runtime.js';
import { SimUnitTransport } from '../support/sim-unit-transport.js';

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
