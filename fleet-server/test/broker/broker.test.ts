import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import type { MqttClient } from 'mqtt';
import { topicFor } from '@edgefleet/protocol';
import type { RunningBroker } from '../../src/broker/start-broker.js';
import { asGateway, connectOnce, refusalCode, startTestBroker } from './mqtt-helpers.js';

let running: RunningBroker;
const clients: MqttClient[] = [];

async function connectGateway(...args: Parameters<typeof asGateway>): Promise<MqttClient> {
  const client = await connectOnce(running.port, asGateway(...args));
  clients.push(client);
  return client;
}

/** Every publish reaching the broker, seen by an in-process subscriber (as the server will). */
function recordAll(): string[] {
  const seen: string[] = [];
  running.broker.subscribe('#', (packet, done) => {
    seen.push(`${packet.topic} ${packet.payload.toString()}`);
    done();
  }, () => undefined);
  return seen;
}

/** Publishes on gw-a's own telemetry and waits for it: everything published before has been routed. */
async function barrier(seen: string[]): Promise<void> {
  const marker = `barrier-${seen.length}-${Math.random()}`;
  const client = await connectGateway('gw-a', { clientId: 'gw-a' });
  await client.publishAsync(topicFor('gw-a', 'telemetry'), marker, { qos: 1 });
  await client.endAsync();
  expect(seen).toContain(`${topicFor('gw-a', 'telemetry')} ${marker}`);
}

/** The server's own in-process publish, which the ACL does not apply to. */
function serverPublish(topic: string, payload: string): void {
  running.broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, () => undefined);
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

beforeEach(async () => {
  running = await startTestBroker();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await running.close();
});

describe('broker authentication', () => {
  it('accepts a gateway with its own id and secret', async () => {
    const client = await connectGateway('gw-a');
    expect(client.connected).toBe(true);
  });

  it.each([
    ['no credentials', { clientId: 'gw-a' }, 4],
    ['a wrong password', { clientId: 'gw-a', username: 'gw-a', password: 'bravo-secret' }, 4],
    ['an unknown gateway', { clientId: 'gw-z', username: 'gw-z', password: 'alpha-secret' }, 4],
    ['a malformed username', { clientId: 'GW/A', username: 'GW/A', password: 'alpha-secret' }, 4],
    ['a client id other than the username', { clientId: 'gw-b', username: 'gw-a', password: 'alpha-secret' }, 2],
  ])('refuses %s (CONNACK %i)', async (_name, options, code) => {
    expect(await refusalCode(running.port, options)).toBe(code);
  });

  it('accepts a will on the own status topic and refuses one on another gateway\'s', async () => {
    const will = (topic: string) => ({ will: { topic, payload: Buffer.from('offline'), qos: 1 as const, retain: true } });
    await connectGateway('gw-a', will(topicFor('gw-a', 'status')));
    expect(await refusalCode(running.port, asGateway('gw-a', will(topicFor('gw-b', 'status'))))).toBe(5);
    expect(running.stats().refusedConnects.foreignWill).toBe(1);
  });

  it('publishes the own-status will when the gateway vanishes', async () => {
    const seen = recordAll();
    const published = new Promise<void>((resolve) => running.broker.on('publish', (packet) => {
      if (packet.topic === topicFor('gw-a', 'status')) resolve();
    }));
    const a = await connectGateway('gw-a', {
      will: { topic: topicFor('gw-a', 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    a.stream.destroy(); // no DISCONNECT: the broker must publish the will
    await published;
    expect(seen).toContain(`${topicFor('gw-a', 'status')} offline`);
    expect(running.stats().deniedPublishes).toBe(0);
  });

  it('a refused client id does not take over the session of the gateway it names', async () => {
    const owner = await connectGateway('gw-b');
    expect(await refusalCode(running.port, { clientId: 'gw-b', username: 'gw-a', password: 'alpha-secret' })).toBe(2);
    await owner.publishAsync(topicFor('gw-b', 'health'), '{}', { qos: 1 });
    expect(owner.connected).toBe(true);
  });
});

describe('broker publish ACL', () => {
  it('delivers a gateway\'s own telemetry', async () => {
    const seen = recordAll();
    const a = await connectGateway('gw-a');
    await a.publishAsync(topicFor('gw-a', 'telemetry'), 'own', { qos: 1 });
    expect(seen).toContain(`${topicFor('gw-a', 'telemetry')} own`);
  });

  it.each([
    ['another gateway\'s telemetry', topicFor('gw-b', 'telemetry')],
    ['its own cmd (downlink)', topicFor('gw-a', 'cmd')],
    ['$SYS', '$SYS/broker/clients'],
    ['a foreign topic', 'some/other/topic'],
  ])('closes the connection without PUBACK on a publish to %s and never delivers it', async (_name, topic) => {
    const seen = recordAll();
    const a = await connectGateway('gw-a');
    let acked = false;
    const gone = closed(a);
    a.publish(topic, 'forbidden', { qos: 1 }, () => (acked = true));
    await gone;
    await barrier(seen);
    expect(acked).toBe(false);
    expect(seen.filter((line) => line.endsWith(' forbidden'))).toEqual([]);
    expect(running.stats().deniedPublishes).toBe(1);
    expect(running.stats().clientErrors.get('gw-a')).toBe(1);
  });
});

describe('broker subscribe ACL', () => {
  it('grants the own cmd and config topics and delivers the server\'s publishes', async () => {
    const a = await connectGateway('gw-a');
    const granted = await a.subscribeAsync([topicFor('gw-a', 'cmd'), topicFor('gw-a', 'config')], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    const received = new Promise<string>((resolve) => a.once('message', (topic, payload) => resolve(`${topic} ${payload.toString()}`)));
    serverPublish(topicFor('gw-a', 'cmd'), 'reboot');
    expect(await received).toBe(`${topicFor('gw-a', 'cmd')} reboot`);
  });

  it.each([
    ['another gateway\'s cmd', topicFor('gw-b', 'cmd')],
    ['#', '#'],
    ['every gateway\'s telemetry', 'fleet/v1/gw/+/telemetry'],
    ['its own prefix by wildcard', 'fleet/v1/gw/gw-a/#'],
    ['$SYS', '$SYS/#'],
  ])('refuses %s with SUBACK 0x80', async (_name, filter) => {
    const a = await connectGateway('gw-a');
    const outcome = await a.subscribeAsync(filter, { qos: 1 }).then(
      (granted) => ({ qos: granted.map((g) => g.qos) }),
      (err: Error) => ({ rejected: err.message }),
    );
    // mqtt.js 5 rejects subscribeAsync when the SUBACK carries 0x80 (it does not resolve with qos 128).
    expect(outcome).toEqual({ rejected: 'Subscribe error: Unspecified error' });
    expect(a.connected).toBe(true);
    expect(running.stats().deniedSubscribes).toBe(1);
    // Nothing matching the refused filter reaches it: the first message is the one it may have.
    await a.subscribeAsync(topicFor('gw-a', 'cmd'), { qos: 1 });
    const first = new Promise<string>((resolve) => a.once('message', (topic) => resolve(topic)));
    for (const topic of [topicFor('gw-b', 'cmd'), topicFor('gw-b', 'telemetry'), '$SYS/x', topicFor('gw-a', 'cmd')]) {
      serverPublish(topic, 'x');
    }
    expect(await first).toBe(topicFor('gw-a', 'cmd'));
  });
});
