import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { ManagedConfig, type DesiredConfig } from '@edgefleet/protocol';
import { AppliedConfigStore } from '../../src/config-sync/applied-config-store.js';
import { ConfigApplier, type ManagedRuntime } from '../../src/config-sync/config-applier.js';

const registry = new ProfileRegistry(loadBuiltinProfiles());

const managed = (devices: { id: string; unit: number; profile?: string }[]): ManagedConfig =>
  ManagedConfig.parse({
    buses: [{ id: 'tcp-a', kind: 'tcp', host: '127.0.0.1', port: 1502 }],
    devices: devices.map((d) => ({ bus: 'tcp-a', profile: 'liftronic-lmi-200', ...d })),
  });

const desired = (version: number, config: ManagedConfig): DesiredConfig => ({ v: 1, version, issuedAt: 1, config });

/** A runtime whose devices answer according to `answering`, recording every apply. */
class FakeRuntime implements ManagedRuntime {
  applied: ManagedConfig[] = [];
  answering = (_config: ManagedConfig, _id: string): boolean => true;
  failNextApply = false;
  private running: ManagedConfig;

  constructor(initial: ManagedConfig) {
    this.running = initial;
  }

  async apply(config: ManagedConfig): Promise<void> {
    if (this.failNextApply) {
      this.failNextApply = false;
      throw new Error('port busy');
    }
    this.applied.push(config);
    this.running = config;
  }

  onlineDevices(): ReadonlySet<string> {
    return new Set(this.running.devices.filter((d) => this.answering(this.running, d.id)).map((d) => d.id));
  }
}

const v1 = managed([
  { id: 'lift-a', unit: 1 },
  { id: 'lift-b', unit: 2 },
]);
let runtime: FakeRuntime;
let persisted: DesiredConfig[];
let applier: ConfigApplier;

beforeEach(() => {
  runtime = new FakeRuntime(v1);
  persisted = [];
  applier = new ConfigApplier({ runtime, registry, persist: (d) => persisted.push(d), settle: async () => undefined }, { version: 1, config: v1 });
});

describe('config applier', () => {
  it('applies a valid newer config, persists it and reports its version', async () => {
    const v2 = managed([
      { id: 'lift-a', unit: 1 },
      { id: 'lift-b', unit: 2 },
      { id: 'lift-c', unit: 3 },
    ]);
    expect(await applier.apply(desired(2, v2))).toEqual({ applied: true, version: 2 });
    expect(runtime.applied).toEqual([v2]);
    expect(persisted.map((d) => d.version)).toEqual([2]);
    expect(applier.version()).toBe(2);
  });

  it.each([
    ['a payload that is not a desired config', { v: 1, version: 2, config: { buses: 'x' } }, /^invalid desired config: .*config\.buses/],
    ['an unknown profile', desired(2, managed([{ id: 'lift-a', unit: 1, profile: 'acme-9000' }])), /devices\.0\.profile: .*acme-9000/],
    ['a unit used twice', desired(2, managed([{ id: 'lift-a', unit: 1 }, { id: 'lift-z', unit: 1 }])), /unit/],
  ])('rejects %s and keeps the running config', async (_name, input, reason) => {
    const outcome = await applier.apply(input);
    expect(outcome.applied).toBe(false);
    expect(outcome.applied === false && outcome.reason).toMatch(reason);
    expect(runtime.applied).toEqual([]);
    expect(persisted).toEqual([]);
    expect(applier.version()).toBe(1);
  });

  it('rejects a version older than the running one', async () => {
    await applier.apply(desired(3, v1));
    expect(await applier.apply(desired(2, v1))).toEqual({ applied: false, version: 2, rolledBack: false, reason: 'version 2 is older than the running 3' });
    expect(applier.version()).toBe(3);
  });

  it('treats a redelivered current version as applied without touching the bus', async () => {
    expect(await applier.apply(desired(1, v1))).toEqual({ applied: true, version: 1 });
    expect(runtime.applied).toEqual([]);
  });

  it('rolls back when devices that answered before stop answering after the change', async () => {
    const v2 = managed([
      { id: 'lift-a', unit: 7 },
      { id: 'lift-b', unit: 2 },
    ]);
    runtime.answering = (config, id) => !(id === 'lift-a' && config.devices.find((d) => d.id === id)?.unit === 7);
    const outcome = await applier.apply(desired(2, v2));
    expect(outcome).toEqual({
      applied: false,
      version: 2,
      rolledBack: true,
      reason: 'devices answering before the change stopped answering after it: lift-a; version 1 restored',
    });
    expect(runtime.applied).toEqual([v2, v1]);
    expect(persisted).toEqual([]);
    expect(applier.version()).toBe(1);
  });

  it('does not blame a change for devices it removed', async () => {
    const v2 = managed([{ id: 'lift-b', unit: 2 }]);
    expect(await applier.apply(desired(2, v2))).toEqual({ applied: true, version: 2 });
  });

  it('restores the previous config when applying fails', async () => {
    runtime.failNextApply = true;
    const outcome = await applier.apply(desired(2, managed([{ id: 'lift-a', unit: 1 }])));
    expect(outcome).toMatchObject({ applied: false, rolledBack: true, reason: 'apply failed: port busy' });
    expect(runtime.applied).toEqual([v1]);
  });

  it('stop() during the post-apply watch ends the apply without a rollback, a persist or a verdict', async () => {
    let watching: () => void = () => undefined;
    const inWatch = new Promise<void>((resolve) => (watching = resolve));
    // Resolves only when stopped, as the gateway's timer-based settle does on abort.
    const settle = (signal: AbortSignal): Promise<void> => {
      watching();
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    };
    applier = new ConfigApplier({ runtime, registry, persist: (d) => persisted.push(d), settle }, { version: 1, config: v1 });
    // Every device looks lost once the gateway's poller is gone: that must not trigger a rollback.
    runtime.answering = () => false;
    const v2 = managed([{ id: 'lift-a', unit: 1 }]);
    const outcome = applier.apply(desired(2, v2));
    await inWatch;
    applier.stop();
    expect(await outcome).toEqual({ applied: false, version: 2, reason: 'the gateway is stopping', rolledBack: false, interrupted: true });
    expect(runtime.applied).toEqual([v2]);
    expect(persisted).toEqual([]);
    expect(applier.version()).toBe(1);
  });

  it('refuses to touch the runtime after stop()', async () => {
    applier.stop();
    expect(await applier.apply(desired(2, managed([{ id: 'lift-a', unit: 1 }])))).toMatchObject({ applied: false, interrupted: true });
    expect(runtime.applied).toEqual([]);
  });

  it('does not roll back a failed apply once stopping (the runtime refuses after its stop)', async () => {
    const failing: ManagedRuntime = {
      apply: async () => {
        applier.stop();
        throw new Error('the gateway runtime is stopped');
      },
      onlineDevices: () => new Set(),
    };
    applier = new ConfigApplier({ runtime: failing, registry, persist: (d) => persisted.push(d), settle: async () => undefined }, { version: 1, config: v1 });
    expect(await applier.apply(desired(2, managed([{ id: 'lift-a', unit: 1 }])))).toMatchObject({ applied: false, rolledBack: false, interrupted: true });
  });
});

describe('applied config store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'applied-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the applied config across restarts', () => {
    new AppliedConfigStore(dir).save(desired(4, v1));
    expect(new AppliedConfigStore(dir).load().desired?.version).toBe(4);
  });

  it('has nothing before the first apply', () => {
    expect(new AppliedConfigStore(dir).load()).toEqual({});
  });

  it('reports a damaged file instead of crashing', async () => {
    await writeFile(path.join(dir, 'applied-config.json'), '{"v":1,"version":');
    const loaded = new AppliedConfigStore(dir).load();
    expect(loaded.desired).toBeUndefined();
    expect(loaded.problem).toMatch(/applied-config\.json/);
  });
});
