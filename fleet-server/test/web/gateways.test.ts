import { describe, expect, it } from 'vitest';
import type { CommandRecord, GatewayConfig, GatewayDevice, GatewayHealth, GatewayRow, ReportedConfig } from '../../web/src/api/gateway-types.js';
import { commandLabel, commandStateText, configOutcomeText, upsertCommand } from '../../web/src/lib/gateway-commands.js';
import { applyDeviceReadings, deviceRows, devicesSummary, deviceStateText, outboxText } from '../../web/src/lib/gateway-devices.js';
import {
  applyGatewayEvent, applyGatewayStatus, compareGateways, gatewayStatusText, groupBySite, groupSummary, lastHeardAt, pendingConfigText, runningConfigText, summaryDevicesText, summaryOutboxText,
} from '../../web/src/lib/gateways.js';

const gw = (id: string, site: string, status: GatewayRow['status'], lastSeenAt: number | null = null, name = id): GatewayRow => ({ id, site, name, status, lastSeenAt, configVersion: null });

describe('gateways list', () => {
  it('says "never connected" for unknown and the status otherwise', () => {
    expect(gatewayStatusText('unknown')).toBe('never connected');
    expect(gatewayStatusText('online')).toBe('online');
    expect(gatewayStatusText('offline')).toBe('offline');
  });

  it('puts offline first, then never connected, then online, by name', () => {
    const list = [gw('c', 's', 'online'), gw('b', 's', 'unknown'), gw('z', 's', 'offline'), gw('a', 's', 'online'), gw('y', 's', 'offline')];
    expect([...list].sort(compareGateways).map((g) => g.id)).toEqual(['y', 'z', 'b', 'a', 'c']);
  });

  it('groups by site name, counts offline, and keeps a gateway of a site it does not know under its id', () => {
    const sites = [{ id: 'north', name: 'Zeta North' }, { id: 'harbour', name: 'Harbour' }];
    const groups = groupBySite([gw('n1', 'north', 'online'), gw('h1', 'harbour', 'offline'), gw('n2', 'north', 'offline'), gw('x1', 'new-site', 'unknown')], sites);
    expect(groups.map((g) => [g.name, g.gateways.map((x) => x.id), g.offline])).toEqual([
      ['Harbour', ['h1'], 1],
      ['new-site', ['x1'], 0],
      ['Zeta North', ['n2', 'n1'], 1],
    ]);
    expect(groupSummary(groups[2]!)).toBe('2 gateways, 1 offline');
    expect(groupSummary(groups[1]!)).toBe('1 gateway');
    expect(groupBySite([], sites)).toEqual([]);
  });

  it('applies a gateway event: the status changes, an online report moves last seen forward, an offline one keeps it', () => {
    const list = [gw('a', 's', 'online', 1_000), gw('b', 's', 'online', 2_000)];
    const offline = applyGatewayEvent(list, { gateway: 'a', site: 's', status: 'offline', at: 5_000 });
    expect(offline[0]).toMatchObject({ status: 'offline', lastSeenAt: 1_000 });
    expect(offline[1]).toBe(list[1]);
    const back = applyGatewayEvent(offline, { gateway: 'a', site: 's', status: 'online', at: 9_000 });
    expect(back[0]).toMatchObject({ status: 'online', lastSeenAt: 9_000 });
    // An online report older than the last seen time does not move it back.
    expect(applyGatewayStatus(back[0]!, { gateway: 'a', site: 's', status: 'online', at: 3_000 })).toBe(back[0]);
    // A never-connected gateway's first report.
    expect(applyGatewayStatus(gw('n', 's', 'unknown'), { gateway: 'n', site: 's', status: 'online', at: 7 })).toMatchObject({ status: 'online', lastSeenAt: 7 });
  });

  it('takes the newer of the last online report and the last health report as last heard', () => {
    expect(lastHeardAt({ lastSeenAt: null })).toBeNull();
    expect(lastHeardAt({ lastSeenAt: null }, 5)).toBe(5);
    expect(lastHeardAt({ lastSeenAt: 9 }, 5)).toBe(9);
    expect(lastHeardAt({ lastSeenAt: 3 }, 5)).toBe(5);
    expect(runningConfigText(null)).toBe('not reported yet');
    expect(runningConfigText(0)).toBe('local gateway.yaml');
    expect(runningConfigText(4)).toBe('version 4');
    expect(pendingConfigText({ desiredVersion: 5, reportedVersion: 4, inSync: false })).toBe(' (version 5 pending)');
    expect(pendingConfigText({ desiredVersion: 4, reportedVersion: 4, inSync: true })).toBe('');
    expect(pendingConfigText({ desiredVersion: null, reportedVersion: 0, inSync: null })).toBe('');
    expect(pendingConfigText(undefined)).toBe('');
  });

  it("words the list's summary: devices and those down, the outbox from the newest report", () => {
    expect(summaryDevicesText({ devices: 0, devicesDown: 0 })).toBe('no devices');
    expect(summaryDevicesText({ devices: 1, devicesDown: 0 })).toBe('1 device');
    expect(summaryDevicesText({ devices: 5, devicesDown: 2 })).toBe('5 devices, 2 down');
    expect(summaryOutboxText(null)).toBe('no report yet');
    const health = { at: 1, outboxDepth: 0, outboxBytes: 0, outboxMaxBytes: 1_000, dropped: 0, devicesOffline: [] };
    expect(summaryOutboxText(health)).toBe('empty');
    expect(summaryOutboxText({ ...health, outboxDepth: 42, outboxBytes: 90 })).toBe('42 waiting (9% full)');
    expect(summaryOutboxText({ ...health, outboxDepth: 7, outboxBytes: 1_000, dropped: 30 })).toBe('7 waiting (100% full), 30 readings dropped');
  });
});

const device = (id: string, name: string, lastReadingAt: number | null, registered = true): GatewayDevice => ({
  gateway: 'gw', device: id, profile: registered ? 'p' : null, name, location: null, registered, lastReadingAt,
});
const health = (devices: GatewayHealth['devices'], outbox: Partial<GatewayHealth['outbox']> = {}): GatewayHealth => ({
  receivedAt: 10, ts: 10, uptimeS: 1, buses: [], devices,
  outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 64 * 1_048_576, ...outbox },
});

describe('gateway page: devices and outbox', () => {
  it("joins the inventory with the health report's poll states, adds polled devices the inventory lacks, by name", () => {
    const rows = deviceRows(
      [device('lift-b', 'Lift B', 5), device('lift-a', 'Lift A', 7), device('old', 'Old meter', null)],
      health([
        { id: 'lift-a', bus: 'b', state: 'online', polls: 3, failures: 0 },
        { id: 'lift-b', bus: 'b', state: 'offline', polls: 3, failures: 3, lastGoodAt: 2 },
        { id: 'new-1', bus: 'b', state: 'online', polls: 1, failures: 0, lastGoodAt: 4 },
      ]),
    );
    expect(rows.map((r) => [r.device, r.state, r.lastReadingAt, r.registered])).toEqual([
      ['lift-a', 'online', 7, true],
      ['lift-b', 'offline', 5, true],
      ['new-1', 'online', 4, false],
      ['old', null, null, true],
    ]);
    expect(devicesSummary(rows)).toBe('4 devices, 1 down');
    expect(devicesSummary(rows.slice(0, 1))).toBe('1 device');
    expect(deviceStateText(null)).toBe('not in the last health report');
    expect(deviceRows([device('a', 'A', null)], null)[0]?.state).toBeNull();
  });

  it("moves a device's last reading forward only", () => {
    const rows = deviceRows([device('a', 'A', 100)], null);
    expect(applyDeviceReadings(rows, 'a', [90, 150, 120])[0]?.lastReadingAt).toBe(150);
    expect(applyDeviceReadings(rows, 'a', [90])).toBe(rows);
    expect(applyDeviceReadings(rows, 'b', [500])).toBe(rows);
    expect(applyDeviceReadings(rows, 'a', [])).toBe(rows);
  });

  it('says what waits in the outbox and how full it is', () => {
    expect(outboxText(health([]).outbox)).toBe('empty (0% of 64 MiB)');
    expect(outboxText(health([], { events: { depth: 1 }, telemetry: { depth: 340, dropped: 0 }, bytes: 2 * 1_048_576 }).outbox)).toBe(
      '1 event, 340 readings waiting (3% of 64 MiB)',
    );
    expect(outboxText(health([], { maxBytes: 0 }).outbox)).toBe('empty');
  });
});

const cmd = (id: string, createdAt: number, state: CommandRecord['state'], extra: Partial<CommandRecord> = {}): CommandRecord => ({
  id, gateway: 'gw', device: 'sig-1', state, request: { command: 'set-flash' }, result: null, createdAt, createdBy: 'user:eve', completedAt: null, ...extra,
});

describe('gateway page: commands and config', () => {
  it('names a command, its parameters or its write, and its state', () => {
    expect(commandLabel({ command: 'set-flash', params: {} })).toBe('set-flash');
    expect(commandLabel({ command: 'preempt-request', params: { phase: 2, duration: 30 } })).toBe('preempt-request (phase 2, duration 30)');
    expect(commandLabel({ write: { point: 'mode', value: 2 } })).toBe('write mode = 2');
    expect(commandStateText('ok')).toBe('succeeded');
    expect(commandStateText('unanswered')).toBe('unanswered (no result before it expired)');
    expect(commandStateText('not-confirmed')).toBe('not confirmed');
    expect(commandStateText('rejected')).toBe('rejected');
  });

  it('adds a new command on top, completes a pending one, and never lets a pending copy undo a result', () => {
    const list = [cmd('b', 20, 'pending'), cmd('a', 10, 'ok')];
    const added = upsertCommand(list, cmd('c', 30, 'pending'), 10);
    expect(added.map((c) => c.id)).toEqual(['c', 'b', 'a']);
    const done = upsertCommand(added, cmd('b', 20, 'unanswered'), 10);
    expect(done.find((c) => c.id === 'b')?.state).toBe('unanswered');
    expect(upsertCommand(done, cmd('b', 20, 'pending'), 10).find((c) => c.id === 'b')?.state).toBe('unanswered');
    // A late gateway result replaces 'unanswered'.
    expect(upsertCommand(done, cmd('b', 20, 'ok'), 10).find((c) => c.id === 'b')?.state).toBe('ok');
    expect(upsertCommand(added, cmd('d', 40, 'pending'), 2).map((c) => c.id)).toEqual(['d', 'c']);
  });

  it('says what became of the desired config, with the reason of a rejection', () => {
    const reported: ReportedConfig = { version: 3, appliedAt: 5, rejected: null };
    const config = (outcome: GatewayConfig['outcome'], r = reported): GatewayConfig => ({ gateway: 'gw', desired: null, reported: r, outcome });
    expect(configOutcomeText(config(null, { version: 0, appliedAt: null, rejected: null }))).toEqual({ kind: 'none', text: 'No desired config stored: the gateway runs its local gateway.yaml.' });
    expect(configOutcomeText(config({ state: 'applied', version: 3, appliedAt: 5 }))).toEqual({ kind: 'applied', text: 'Version 3 applied' });
    expect(configOutcomeText(config({ state: 'pending', version: 4 })).kind).toBe('pending');
    expect(configOutcomeText(config({ state: 'rejected', version: 4, reason: 'bus missing', ts: 9 }))).toEqual({
      kind: 'rejected', text: 'Version 4 rejected; the gateway runs version 3', reason: 'bus missing',
    });
  });
});
