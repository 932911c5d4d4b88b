import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import type { AuthenticateError } from 'aedes';
import type { Uplink, UplinkTimers } from '../../src/uplink/index.js';
import { MemoryOutbox } from './memory-outbox.js';
import { TestBroker } from './test-broker.js';
import { connected, GATEWAY, makeUplink } from './uplink-helpers.js';

/** Records scheduled reconnects without running them. */
class RecordingTimers implements UplinkTimers {
  readonly delays: number[] = [];
  private waiter: (() => void) | undefined;
  setTimeout(_callback: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.waiter?.();
    return this.delays.length;
  }
  clearTimeout(): void {}
  scheduled(): Promise<void> {
    if (this.delays.length > 0) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

describe('Uplink credentials and TLS', () => {
  const cleanup: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  async function brokerWithPassword(): Promise<TestBroker> {
    const broker = await TestBroker.start(0, {
      authenticate: (_client, username, password, done) => {
        if (username === GATEWAY && password?.toString() === 's3cret') return done(null, true);
        // MQTT 3.1.1 §3.2.2.3: return code 4, bad user name or password.
        done(Object.assign(new Error('bad credentials'), { returnCode: 4 }) as AuthenticateError, false);
      },
    });
    cleanup.push(() => broker.close());
    return broker;
  }

  it('connects with the configured username and password', async () => {
    const broker = await brokerWithPassword();
    const uplink = makeUplink(broker.port, new MemoryOutbox(), {}, { username: GATEWAY, password: 's3cret' });
    cleanup.push(() => uplink.stop());
    uplink.start();
    await connected(uplink);
    expect(uplink.stats().connects).toBe(1);
  });

  it('keeps retrying with backoff after a refused CONNACK instead of giving up', async () => {
    const broker = await brokerWithPassword();
    const timers = new RecordingTimers();
    const uplink: Uplink = makeUplink(broker.port, new MemoryOutbox(), { timers, random: () => 0 }, { username: GATEWAY, password: 'wrong', backoff: { initialMs: 100 } });
    cleanup.push(() => uplink.stop());
    uplink.start();
    await timers.scheduled();
    expect(timers.delays).toEqual([100]);
    expect(uplink.isConnected()).toBe(false);
    expect(uplink.stats().errors).toBeGreaterThanOrEqual(1);
  });

  it('speaks mqtts with the configured CA, and refuses a server it cannot verify', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'uplink-tls-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const pem = { key: await readFile(key), cert: await readFile(cert) };
    const broker = await Aedes.createBroker();
    const server = tls.createServer(pem, (socket) => broker.handle(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => broker.close(() => server.close(() => resolve()))));
    const port = (server.address() as AddressInfo).port;
    const url = `mqtts://127.0.0.1:${port}`;

    const trusted = makeUplink(port, new MemoryOutbox(), {}, { url, tls: { ca: pem.cert } });
    cleanup.push(() => trusted.stop());
    trusted.start();
    await connected(trusted);

    const timers = new RecordingTimers();
    const untrusted = makeUplink(port, new MemoryOutbox(), { timers, gatewayId: 'gw-untrusted' }, { url });
    cleanup.push(() => untrusted.stop());
    untrusted.start();
    await timers.scheduled();
    expect(untrusted.isConnected()).toBe(false);
    expect(untrusted.stats().errors).toBeGreaterThanOrEqual(1);
  });
});
