import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIVE_ALARMS_FILE, JsonFileActiveAlarmsStore, MemoryActiveAlarmsStore } from '../../src/alarms/active-alarms-store.js';
import { DeviceAlarms } from '../../src/alarms/device-alarms.js';
import { builtin, createFixture } from './poller-fixture.js';

const lift = builtin('liftronic-lmi-200');
const stops: Array<() => Promise<void>> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function startedWith(alarmStore: MemoryActiveAlarmsStore | JsonFileActiveAlarmsStore) {
  const f = createFixture([{ id: 'lift-a', unit: 1, profile: lift }], { alarmStore });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const stopping = f.poller.stop();
    await f.clock.advance(1_000);
    await stopping;
  };
  stops.push(stop);
  await f.poller.start();
  return { ...f, stop };
}

// Mains loss trips two rules of the lift's profile: power-failure and controller-fault.
const alarmEvents = (events: ReturnType<typeof createFixture>['events']) =>
  events.flatMap((e) => (e.type === 'alarm' ? [`${e.rule}:${e.state}`] : [])).sort();

describe('raised edge alarms across a gateway restart', () => {
  it('does not raise an alarm again after a restart, and still clears it when the fault ends', async () => {
    const store = new MemoryActiveAlarmsStore();
    const first = await startedWith(store);
    first.devices.get('lift-a')!.injectFault('power-failure');
    await first.clock.advance(4_000);
    expect(alarmEvents(first.events)).toEqual(['controller-fault:raise', 'power-failure:raise']);
    await first.stop();
    expect(Object.keys([...store.saved.values()][0] ?? {}).sort()).toEqual(['controller-fault', 'power-failure']);

    // The restarted gateway polls a device whose fault still holds: no second raise.
    const second = await startedWith(store);
    second.devices.get('lift-a')!.injectFault('power-failure');
    await second.clock.advance(10_000);
    expect(alarmEvents(second.events)).toEqual([]);

    // Power returns: the restored alarm clears after the rule's clearFor (30 s), as if never restarted.
    second.devices.get('lift-a')!.clearFault('power-failure');
    await second.clock.advance(40_000);
    expect(alarmEvents(second.events)).toEqual(['controller-fault:clear', 'power-failure:clear']);
    expect(store.saved.size).toBe(0);
  });

  it('sends the clear after a restart when the fault ended while the gateway was down', async () => {
    const store = new MemoryActiveAlarmsStore();
    const first = await startedWith(store);
    first.devices.get('lift-a')!.injectFault('power-failure');
    await first.clock.advance(4_000);
    await first.stop();
    // The restarted gateway finds power back: the server's open alert must be resolved.
    const second = await startedWith(store);
    await second.clock.advance(40_000);
    expect(alarmEvents(second.events)).toEqual(['controller-fault:clear', 'power-failure:clear']);
  });
});

describe('JsonFileActiveAlarmsStore', () => {
  it('keeps raised rules in a file, drops devices with none, and reads a damaged file as empty', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ef-alarms-'));
    dirs.push(dir);
    const store = new JsonFileActiveAlarmsStore(dir);
    await store.save('lift-a:liftronic-lmi-200@1', { entrapment: { raisedAt: 1_000 } });
    await store.save('lift-b:liftronic-lmi-200@1', { 'power-failure': { raisedAt: 2_000 } });
    await store.save('lift-b:liftronic-lmi-200@1', {});
    const onDisk = JSON.parse(await readFile(path.join(dir, ACTIVE_ALARMS_FILE), 'utf8')) as Record<string, unknown>;
    expect(onDisk).toEqual({ 'lift-a:liftronic-lmi-200@1': { entrapment: { raisedAt: 1_000 } } });
    expect(await new JsonFileActiveAlarmsStore(dir).load('lift-a:liftronic-lmi-200@1')).toEqual({ entrapment: { raisedAt: 1_000 } });

    await writeFile(path.join(dir, ACTIVE_ALARMS_FILE), '{"lift-a:x@1": {"entrapment": {"raisedAt": "soon"}}, "broken');
    expect(await new JsonFileActiveAlarmsStore(dir).load('lift-a:x@1')).toBeUndefined();
  });

  it('restore ignores rules the profile no longer has', () => {
    const alarms = new DeviceAlarms('lift-a', lift);
    alarms.restore({ 'power-failure': { raisedAt: 5 }, 'no-such-rule': { raisedAt: 6 } });
    expect(alarms.active()).toEqual({ 'power-failure': { raisedAt: 5 } });
  });
});
