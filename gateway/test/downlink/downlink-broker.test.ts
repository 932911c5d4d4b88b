import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { CommandResult, GatewayStatus, topicFor, WIRE_VERSION } from '@edgefleet/protocol';
import { Downlink } from '../../src/downlink/index.js';
import type { Uplink } from '../../src/uplink/index.js';
import { MemoryOutbox } from '../uplink/memory-outbox.js';
import { TestBroker, waitFor } from '../uplink/test-broker.js';
import { connected, GATEWAY, makeUplink } from '../uplink/uplink-helpers.js';

const NOW = 1_700_000_000_000;

describe('Downlink over a real broker (aedes)', () => {
  let broker: TestBroker | undefined;
  let uplink: Uplink | undefined;
  let server: MqttClient | undefined;
  afterEach(async () => {
    await server?.endAsync();
    await uplink?.stop();
    await broker?.close();
    server = undefined;
    uplink = undefined;
    broker = undefined;
  });

  it('rejects invalid config and command payloads and reports them, runs valid ones once, refuses expired ones — without ever disconnecting', async () => {
    broker = await TestBroker.start();
    const outbox = new MemoryOutbox(() => NOW);
    const ran: string[] = [];
    const applied: number[] = [];
    // Results arrive at the server client and configs are applied after the broker's 'publish'
    // event for them: the wait below re-checks on these changes, not on broker publishes (when
    // the last result was also the last publish, the check missed it and waited out its 10 s).
    const changed = new EventEmitter();
    let gatewayDisconnects = 0;
    broker.broker.on('clientDisconnect', (c) => c.id === GATEWAY && (gatewayDisconnects += 1));
    const downlink = new Downlink({
      outbox,
      logger: pino({ level: 'silent' }),
      now: () => NOW,
      onDesiredConfig: async (d) => {
        applied.push(d.version);
        changed.emit('change');
        return { applied: true };
      },
      onCommand: async (c) => {
        ran.push(c.id);
        return { id: c.id, device: c.device, status: 'ok', ts: NOW };
      },
      reportConfig: (s) => uplink!.setConfigStatus(s),
      initialConfig: { version: 3 },
    });
    uplink = makeUplink(broker.port, outbox, { onDownlink: (channel, payload) => downlink.handle(channel, payload) });
    // The server side: a plain client that publishes to the gateway's downlink topics and reads results.
    server = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, clientId: 'fleet-server-test' });
    const results: CommandResult[] = [];
    server.on('message', (topic, payload) => {
      if (topic !== topicFor(GATEWAY, 'cmd-result')) return;
      results.push(CommandResult.parse(JSON.parse(payload.toString())));
      changed.emit('change');
    });
    await server.subscribeAsync(topicFor(GATEWAY, 'cmd-result'), { qos: 1 });
    // A retained invalid config waiting before the gateway connects.
    await server.publishAsync(topicFor(GATEWAY, 'config'), JSON.stringify({ v: WIRE_VERSION, version: 4, issuedAt: NOW, config: { buses: 'none' } }), { qos: 1, retain: true });
    uplink.start();
    await connected(uplink);

    const cmd = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ v: WIRE_VERSION, id, device: 'cabinet-1', issuedAt: NOW - 1_000, expiresAt: NOW + 60_000, command: 'set-flash', ...extra });
    const send = (payload: string | Buffer) => server!.publishAsync(topicFor(GATEWAY, 'cmd'), payload, { qos: 1 });
    await send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    await send(cmd('c-bad', { write: { point: 'mode', value: 1 } }));
    await send(cmd('c-old', { issuedAt: NOW - 120_000, expiresAt: NOW - 60_000 }));
    await send(cmd('c-ok'));
    await send(cmd('c-ok'));
    await server.publishAsync(topicFor(GATEWAY, 'config'), JSON.stringify({ v: WIRE_VERSION, version: 5, issuedAt: NOW, config: {} }), { qos: 1, retain: true });

    await waitFor(() => results.length === 3 && applied.length === 1, changed, 'change', 10_000, 'three results and one applied config');
    expect(results.map((r) => [r.id, r.status])).toEqual([['c-bad', 'rejected'], ['c-old', 'expired'], ['c-ok', 'ok']]);
    expect(ran).toEqual(['c-ok']);
    expect(applied).toEqual([5]);
    expect(downlink.stats()).toMatchObject({ configs: { invalid: 1, applied: 1 }, commands: { invalid: 2, expired: 1, duplicates: 1, run: 1 } });
    // The retained status reported the rejected v4, then the applied v5 (which supersedes it).
    await waitFor(() => lastStatus(broker!)?.config?.version === 5, broker.broker, 'publish', 5_000, 'status with config 5');
    expect(lastStatus(broker)).toMatchObject({ state: 'online', config: { version: 5, appliedAt: NOW } });
    expect(lastStatus(broker)?.config?.rejected).toBeUndefined();
    expect(broker.published.some((p) => p.topic === topicFor(GATEWAY, 'status') && JSON.parse(p.payload).config?.rejected?.version === 4)).toBe(true);
    // Notices for the garbage command and the bad config travelled too.
    const notices = broker.published.filter((p) => p.topic === topicFor(GATEWAY, 'events')).flatMap((p) => JSON.parse(p.payload).items as { code?: string }[]);
    expect(notices.map((n) => n.code)).toEqual(expect.arrayContaining(['CONFIG_REJECTED', 'COMMAND_REJECTED', 'CONFIG_APPLIED']));
    expect(gatewayDisconnects).toBe(0);
    expect(uplink.stats().connects).toBe(1);
    await server.publishAsync(topicFor(GATEWAY, 'config'), '', { qos: 1, retain: true });
  });
});

function lastStatus(broker: TestBroker): GatewayStatus | undefined {
  const last = broker.published.filter((p) => p.topic === topicFor(GATEWAY, 'status')).at(-1);
  return last === undefined ? undefined : GatewayStatus.parse(JSON.parse(last.payload));
}
