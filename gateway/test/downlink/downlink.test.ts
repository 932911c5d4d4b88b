import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { WIRE_VERSION } from '@edgefleet/protocol';
import type { CommandRequest, DesiredConfig } from '@edgefleet/protocol';
import { Downlink } from '../../src/downlink/index.js';
import type { CommandOutcome, ConfigOutcome, DownlinkDeps } from '../../src/downlink/index.js';
import type { ConfigStatus } from '../../src/uplink/index.js';
import type { NewEvent } from '../../src/outbox/outbox-types.js';
import { MemoryOutbox } from '../uplink/memory-outbox.js';

const NOW = 1_700_000_000_000;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function desired(version: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: WIRE_VERSION, version, issuedAt: NOW - 1_000, config: { buses: [], devices: [] }, ...extra };
}

function command(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: WIRE_VERSION, id, device: 'cabinet-1', issuedAt: NOW - 1_000, expiresAt: NOW + 60_000, command: 'set-flash', ...extra };
}

function setup(overrides: Partial<DownlinkDeps> = {}) {
  const outbox = new MemoryOutbox(() => NOW);
  const configs: DesiredConfig[] = [];
  const commands: CommandRequest[] = [];
  const reported: ConfigStatus[] = [];
  let configOutcome: ConfigOutcome = { applied: true };
  const downlink = new Downlink({
    outbox,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
    onDesiredConfig: async (d) => {
      configs.push(d);
      return configOutcome;
    },
    onCommand: async (c): Promise<CommandOutcome> => {
      commands.push(c);
      return { id: c.id, device: c.device, status: 'ok', ts: NOW, readBack: { mode: 'flash' } };
    },
    reportConfig: (s) => reported.push(s),
    initialConfig: { version: 2, appliedAt: NOW - 60_000 },
    ...overrides,
  });
  const events = (): NewEvent[] => outbox.peek('events', 1_000).map((r) => r.item);
  return { outbox, downlink, configs, commands, reported, events, setOutcome: (o: ConfigOutcome) => (configOutcome = o) };
}

describe('Downlink: desired config', () => {
  it('hands a valid config (schema defaults applied) to the handler, reports the version and a CONFIG_APPLIED notice', async () => {
    const t = setup();
    await t.downlink.handle('config', json(desired(3)));
    expect(t.configs).toHaveLength(1);
    expect(t.configs[0]!.config.polling.fast).toBe('1s');
    expect(t.reported).toEqual([{ version: 3, appliedAt: NOW }]);
    expect(t.events()).toEqual([expect.objectContaining({ type: 'notice', level: 'info', code: 'CONFIG_APPLIED', details: { version: 3 } })]);
    expect(t.downlink.configStatus()).toEqual({ version: 3, appliedAt: NOW });
  });

  it('handles each version once: the retained config redelivered after a reconnect is not applied again', async () => {
    const t = setup();
    await t.downlink.handle('config', json(desired(2)));
    await t.downlink.handle('config', json(desired(3)));
    await t.downlink.handle('config', json(desired(3)));
    expect(t.configs.map((c) => c.version)).toEqual([3]);
    expect(t.downlink.stats().configs).toMatchObject({ received: 3, applied: 1, repeated: 2 });
  });

  it.each([
    ['not JSON', Buffer.from('{"v":1,'), /not JSON/, undefined],
    ['wrong wire version', json(desired(4, { v: 2 })), /v: /, 4],
    ['unknown field (strict)', json(desired(5, { extra: true })), /Unrecognized key/i, 5],
    ['bad device id', json(desired(6, { config: { devices: [{ id: 'Lift 1', bus: 'b', unit: 1, profile: 'p' }] } })), /config\.devices\.0\.id/, 6],
  ])('rejects %s without calling the handler, reports it, keeps the running version', async (_name, payload, reason, version) => {
    const t = setup();
    await t.downlink.handle('config', payload);
    expect(t.configs).toEqual([]);
    const [notice] = t.events();
    expect(notice).toMatchObject({ type: 'notice', level: 'warn', code: 'CONFIG_REJECTED' });
    expect((notice as { message: string }).message).toMatch(reason);
    expect(t.downlink.configStatus().version).toBe(2);
    if (version === undefined) expect(t.reported).toEqual([]);
    else expect(t.reported).toEqual([{ version: 2, appliedAt: NOW - 60_000, rejected: { version, reason: expect.stringMatching(reason), ts: NOW } }]);
    expect(t.downlink.stats().configs).toMatchObject({ invalid: 1, rejected: 1 });
  });

  it('reports the handler\'s refusal (or its exception) as a rejection of that version', async () => {
    const t = setup();
    t.setOutcome({ applied: false, reason: 'devices lift-3 stopped answering; rolled back' });
    await t.downlink.handle('config', json(desired(7)));
    expect(t.downlink.configStatus()).toMatchObject({ version: 2, rejected: { version: 7, reason: 'devices lift-3 stopped answering; rolled back' } });
    const throwing = setup({ onDesiredConfig: () => Promise.reject(new Error('disk full')) });
    await throwing.downlink.handle('config', json(desired(8)));
    expect(throwing.downlink.configStatus().rejected).toMatchObject({ version: 8, reason: 'apply failed: disk full' });
  });

  it('ignores an empty retained message (the topic was cleared)', async () => {
    const t = setup();
    await t.downlink.handle('config', Buffer.alloc(0));
    expect(t.events()).toEqual([]);
    expect(t.downlink.stats().configs.received).toBe(0);
  });

  it('applies configs one at a time, in arrival order', async () => {
    const order: string[] = [];
    let release = (): void => undefined;
    const t = setup({
      onDesiredConfig: async (d) => {
        order.push(`start ${d.version}`);
        if (d.version === 3) await new Promise<void>((r) => (release = r));
        order.push(`end ${d.version}`);
        return { applied: true };
      },
    });
    const a = t.downlink.handle('config', json(desired(3)));
    const b = t.downlink.handle('config', json(desired(4)));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['start 3']);
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['start 3', 'end 3', 'start 4', 'end 4']);
  });
});

describe('Downlink: commands', () => {
  it('runs a valid command and records its result in the event stream, labelled with the request\'s id and device', async () => {
    const t = setup({ onCommand: async () => ({ id: 'other', device: 'other-device', status: 'ok', ts: NOW }) });
    await t.downlink.handle('cmd', json(command('c-1', { params: { seconds: 30 } })));
    expect(t.events()).toEqual([{ type: 'cmd-result', result: { id: 'c-1', device: 'cabinet-1', status: 'ok', ts: NOW } }]);
  });

  it('passes the parsed request to the handler', async () => {
    const t = setup();
    await t.downlink.handle('cmd', json(command('c-2', { command: undefined, write: { point: 'mode', value: 2 } })));
    expect(t.commands).toEqual([expect.objectContaining({ id: 'c-2', write: { point: 'mode', value: 2 }, params: {} })]);
  });

  it('refuses an expired command with status expired, without calling the handler', async () => {
    const t = setup();
    await t.downlink.handle('cmd', json(command('c-3', { issuedAt: NOW - 10_000, expiresAt: NOW - 1 })));
    expect(t.commands).toEqual([]);
    expect(t.events()).toEqual([{ type: 'cmd-result', result: expect.objectContaining({ id: 'c-3', device: 'cabinet-1', status: 'expired', ts: NOW }) }]);
    expect(t.downlink.stats().commands.expired).toBe(1);
  });

  it('runs a command expiring exactly now (refused only once expiresAt < now)', async () => {
    const t = setup();
    await t.downlink.handle('cmd', json(command('c-4', { expiresAt: NOW })));
    expect(t.commands.map((c) => c.id)).toEqual(['c-4']);
  });

  it('does not run a redelivered command id twice, even while the first run is still going', async () => {
    let release = (): void => undefined;
    let runs = 0;
    const t = setup({
      onCommand: async (c) => {
        runs += 1;
        await new Promise<void>((r) => (release = r));
        return { id: c.id, device: c.device, status: 'ok', ts: NOW };
      },
    });
    const first = t.downlink.handle('cmd', json(command('c-5')));
    await t.downlink.handle('cmd', json(command('c-5')));
    release();
    await first;
    expect(runs).toBe(1);
    expect(t.events()).toHaveLength(1);
    expect(t.downlink.stats().commands.duplicates).toBe(1);
  });

  it('forgets the oldest ids beyond its bound', async () => {
    const t = setup({ recentCommandIds: 2 });
    for (const id of ['a', 'b', 'c', 'a']) await t.downlink.handle('cmd', json(command(id)));
    expect(t.commands.map((c) => c.id)).toEqual(['a', 'b', 'c', 'a']);
  });

  it.each([
    ['both command and write', command('c-6', { write: { point: 'mode', value: 1 } }), /exactly one of command or write/],
    ['expiresAt before issuedAt', command('c-7', { expiresAt: NOW - 5_000 }), /expiresAt/],
    ['a param of the wrong type', command('c-8', { params: { seconds: [1] } }), /params\.seconds/],
  ])('rejects a malformed command whose id is readable (%s) with a rejected result naming the field', async (_name, body, reason) => {
    const t = setup();
    await t.downlink.handle('cmd', json(body));
    expect(t.commands).toEqual([]);
    const [event] = t.events();
    expect(event).toMatchObject({ type: 'cmd-result', result: { id: body.id, device: 'cabinet-1', status: 'rejected' } });
    expect((event as { result: { reason: string } }).result.reason).toMatch(reason);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0x00, 0x13])],
    ['JSON without an id', json({ v: 1, device: 'cabinet-1' })],
    ['an id but a device that is not a slug', json(command('c-9', { device: 'Cabinet #1' }))],
  ])('reports %s as a COMMAND_REJECTED notice when no result can be addressed', async (_name, payload) => {
    const t = setup();
    await t.downlink.handle('cmd', payload);
    expect(t.commands).toEqual([]);
    expect(t.events()).toEqual([expect.objectContaining({ type: 'notice', level: 'warn', code: 'COMMAND_REJECTED' })]);
    expect(t.downlink.stats().commands.invalid).toBe(1);
  });

  it('turns a handler exception into a failed result', async () => {
    const t = setup({ onCommand: () => Promise.reject(new Error('MODBUS_TIMEOUT: no answer')) });
    await t.downlink.handle('cmd', json(command('c-10')));
    expect(t.events()).toEqual([{ type: 'cmd-result', result: expect.objectContaining({ id: 'c-10', status: 'failed', reason: 'MODBUS_TIMEOUT: no answer' }) }]);
    expect(t.downlink.stats().commands.failed).toBe(1);
  });

  it('survives an outbox that throws (logged, not crashed)', async () => {
    const t = setup({ outbox: { enqueueEvents: () => { throw new Error('outbox closed'); } } });
    await expect(t.downlink.handle('cmd', json(command('c-11')))).resolves.toBeUndefined();
  });
});
