import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import pino from 'pino';
import type { Logger } from 'pino';
import { topicFor } from '@edgefleet/protocol';
import { MemoryCredentials } from '../../src/broker/credentials.js';
import { startBroker } from '../../src/broker/start-broker.js';
import type { RunningBroker } from '../../src/broker/start-broker.js';
import { readTlsMaterial } from '../../src/broker/tls-material.js';
import { registerBrokerMetrics } from '../../src/metrics/broker-metrics.js';
import { MetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { asGateway, CHEAP_SCRYPT, connectOnce, SECRETS } from './mqtt-helpers.js';
import { hasOpenssl, makeTestPki } from './tls-fixtures.js';
import type { TestPki } from './tls-fixtures.js';

const openssl = hasOpenssl();
if (!openssl) console.log('broker TLS tests skipped: the openssl CLI (used to make test certificates) is not on PATH');

/** Connects over mqtts once; resolves with the client or rejects with the TLS/CONNACK error. */
function connectTls(port: number, options: IClientOptions): Promise<MqttClient> {
  const client = mqtt.connect(`mqtts://127.0.0.1:${port}`, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

describe.skipIf(!openssl)('broker mqtts listener', () => {
  let pki: TestPki;
  let broker: RunningBroker | undefined;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    pki = await makeTestPki();
  });
  afterAll(async () => {
    await rm(pki.dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await broker?.close();
    broker = undefined;
  });

  async function start(
    requireClientCert: boolean,
    { bindClientCertToGateway, logger = pino({ level: 'silent' }) }: { bindClientCertToGateway?: boolean; logger?: Logger } = {},
  ): Promise<RunningBroker> {
    const credentials = new MemoryCredentials(CHEAP_SCRYPT);
    for (const [id, secret] of Object.entries(SECRETS)) await credentials.add(id, secret);
    const tls = await readTlsMaterial(
      { port: 0, cert: 'server.crt', key: 'server.key', ca: 'ca.crt', requireClientCert, bindClientCertToGateway }, pki.dir,
    );
    broker = await startBroker({ host: '127.0.0.1', port: 0, tls, credentials, logger });
    return broker;
  }

  /** Everything published on the broker, as text. */
  function payloadsSeen(running: RunningBroker): string[] {
    const seen: string[] = [];
    running.broker.subscribe('#', (packet, done) => {
      seen.push(packet.payload.toString());
      done();
    }, () => undefined);
    return seen;
  }

  const gwACert = (): IClientOptions => ({ ca: pki.pem.caCert, cert: pki.pem.clientCert, key: pki.pem.clientKey });
  const gwBCert = (): IClientOptions => ({ ca: pki.pem.caCert, cert: pki.pem.clientBCert, key: pki.pem.clientBKey });

  it('serves mqtts beside plain MQTT: a gateway that trusts the CA connects, authenticates and publishes', async () => {
    const running = await start(false);
    expect(running.tlsPort).toBeGreaterThan(0);
    expect(running.tlsPort).not.toBe(running.port);
    const seen = payloadsSeen(running);
    const client = await connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), ca: pki.pem.caCert });
    clients.push(client);
    await client.publishAsync(topicFor('gw-a', 'telemetry'), 'over tls', { qos: 1 });
    expect(seen).toContain('over tls');
  });

  it('refuses a client that does not trust the server certificate, and a wrong secret over TLS', async () => {
    const running = await start(false);
    await expect(connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), ca: pki.pem.otherCaCert })).rejects.toThrow(/certificate/i);
    await expect(connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), password: 'wrong', ca: pki.pem.caCert })).rejects.toMatchObject({ code: 4 });
  });

  it('with requireClientCert, refuses the handshake without a CA-signed client certificate and admits one with it', async () => {
    const running = await start(true);
    await expect(connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), ca: pki.pem.caCert })).rejects.toThrow();
    const client = await connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), ...gwACert() });
    clients.push(client);
    expect(client.connected).toBe(true);
  });

  it('admits a gateway whose certificate names it, by subject CN (gw-a) or by SAN URI (gw-b), and lets both publish', async () => {
    const running = await start(true);
    const seen = payloadsSeen(running);
    const a = await connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), ...gwACert() });
    const b = await connectTls(running.tlsPort ?? 0, { ...asGateway('gw-b'), ...gwBCert() });
    clients.push(a, b);
    await a.publishAsync(topicFor('gw-a', 'telemetry'), 'a by CN', { qos: 1 });
    await b.publishAsync(topicFor('gw-b', 'telemetry'), 'b by SAN URI', { qos: 1 });
    expect(seen).toEqual(expect.arrayContaining(['a by CN', 'b by SAN URI']));
    expect(running.stats().refusedConnects.certMismatch).toBe(0);
  });

  it("refuses gw-a's certificate with gw-b's correct secret (CONNACK 5): counted, in /metrics, logged with the subject and without the secret", async () => {
    const lines: string[] = [];
    const running = await start(true, { logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }) });
    await expect(connectTls(running.tlsPort ?? 0, { ...asGateway('gw-b'), ...gwACert() })).rejects.toMatchObject({ code: 5 });
    // The other certificate carries DNS:gw-a: a DNS name does not name a gateway.
    await expect(connectTls(running.tlsPort ?? 0, { ...asGateway('gw-a'), ...gwBCert() })).rejects.toMatchObject({ code: 5 });
    expect(running.stats().refusedConnects).toMatchObject({ certMismatch: 2, badCredentials: 0 });

    const registry = new MetricsRegistry();
    registerBrokerMetrics(registry, running)();
    expect(registry.render()).toContain('edgefleet_mqtt_refused_connects{reason="certMismatch"} 2');

    const refusals = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.certSubject !== undefined);
    expect(refusals).toEqual([
      expect.objectContaining({ level: 40, gatewayId: 'gw-b', certSubject: 'CN=gw-a', msg: 'mqtt connect refused: client certificate does not name this gateway' }),
      expect.objectContaining({ level: 40, gatewayId: 'gw-a', certSubject: 'CN=box-0042', certSubjectAltName: 'URI:urn:edgefleet:gateway:gw-b, DNS:gw-a' }),
    ]);
    expect(lines.join('')).not.toContain(SECRETS['gw-b']);
    expect(lines.join('')).not.toContain(SECRETS['gw-a']);
  });

  it('leaves the plain listener to the secret alone, and bindClientCertToGateway: false admits any CA-signed certificate', async () => {
    const bound = await start(true);
    const plain = await connectOnce(bound.port, asGateway('gw-b'));
    clients.push(plain);
    expect(plain.connected).toBe(true);
    await bound.close();
    const unbound = await start(true, { bindClientCertToGateway: false });
    const client = await connectTls(unbound.tlsPort ?? 0, { ...asGateway('gw-b'), ...gwACert() });
    clients.push(client);
    expect(unbound.stats().refusedConnects.certMismatch).toBe(0);
  });

  it('names the field and the file when a TLS file is missing, not PEM, or the key belongs to another certificate', async () => {
    const files = { port: 0, cert: 'server.crt', key: 'server.key', requireClientCert: false };
    await expect(readTlsMaterial({ ...files, cert: 'missing.crt' }, pki.dir)).rejects.toThrow(
      `broker.tls.cert: cannot read ${path.join(pki.dir, 'missing.crt')}`,
    );
    await writeFile(path.join(pki.dir, 'junk.pem'), 'not a certificate');
    await expect(readTlsMaterial({ ...files, ca: 'junk.pem' }, pki.dir)).rejects.toThrow(`broker.tls.ca: ${path.join(pki.dir, 'junk.pem')} is not PEM`);
    await expect(readTlsMaterial({ ...files, key: 'client.key' }, pki.dir)).rejects.toThrow(/broker\.tls: server\.crt, client\.key do not form a usable TLS identity/);
  });
});
