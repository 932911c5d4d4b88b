import { EventEmitter, once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { hashSecret, measureSms, serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import type { RunningServer } from '@edgefleet/fleet-server';
import type { GatewayEvent } from '@edgefleet/protocol';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';

const GW = 'sms-gw';
const SECRET = 'sms-e2e-secret-value';
const SID = 'AC0123456789';
const PUBLIC_BASE = 'https://fleet.example.test';
const PHONES = { first: '+15550000001', second: '+15550000002', third: '+15550000003' };
const silent = pino({ level: 'silent' });

interface Sms { to: string; body: string; at: number }

/** A Twilio-compatible Messages endpoint that records every form post and emits 'sms'. */
async function startFakeTwilio(): Promise<{ url: string; sms: Sms[]; events: EventEmitter; close(): Promise<void> }> {
  const sms: Sms[] = [];
  const events = new EventEmitter();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${SID}/Messages.json`) {
        res.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(raw);
      const message = { to: form.get('To') ?? '', body: form.get('Body') ?? '', at: performance.now() };
      sms.push(message);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${sms.length}` }));
      events.emit('sms', message);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, sms, events,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Resolves with the first SMS (already received or arriving) to `phone`. */
function smsTo(fake: { sms: Sms[]; events: EventEmitter }, phone: string): Promise<Sms> {
  const seen = fake.sms.find((m) => m.to === phone);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const onSms = (m: Sms): void => {
      if (m.to !== phone) return;
      fake.events.off('sms', onSms);
      resolve(m);
    };
    fake.events.on('sms', onSms);
  });
}

/** Resolves once the server stored a new alarm event of `state` for the rule. */
function alarmEvent(server: RunningServer, rule: string, state: 'raise' | 'clear'): Promise<GatewayEvent> {
  return new Promise((resolve) => {
    const stop = server.ingest.listen({
      onEvents: (gatewayId, events) => {
        const hit = events.find((e) => gatewayId === GW && e.type === 'alarm' && e.rule === rule && e.state === state);
        if (!hit) return;
        stop();
        resolve(hit);
      },
    });
  });
}

function firstTelemetry(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    const stop = server.ingest.listen({
      onMessage: (gatewayId, channel, outcome) => {
        if (gatewayId !== GW || channel !== 'telemetry' || !outcome.ok) return;
        stop();
        resolve();
      },
    });
  });
}

describe('elevator fault → SMS → ack link → resolve', () => {
  it('texts the first contact, escalates, stops after the ack link, resolves when the fault clears', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alert-sms-e2e-'));
    const registry = new ProfileRegistry(loadBuiltinProfiles());
    const fake = await startFakeTwilio();
    const site = await SimSite.start(
      SiteConfig.parse({
        name: 'sms-e2e', tick: '100ms',
        transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
        devices: [{ id: 'lift-1', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 7 }],
      }),
      { profile: (id) => registry.get(id) },
    );
    const server = await startServer(
      serverConfigSchema.parse({
        dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 },
        sites: [{
          id: 'tower-a', name: 'Tower A', timezone: 'Europe/Berlin',
          contacts: [
            { id: 'c-1', name: 'First', phone: PHONES.first, escalationOrder: 1 },
            { id: 'c-2', name: 'Second', phone: PHONES.second, escalationOrder: 2 },
            { id: 'c-3', name: 'Third', phone: PHONES.third, escalationOrder: 3 },
          ],
          // Step 3 falls due while the test waits for the fault to clear (~10 s after the ack): the
          // ack must hold it back. 8 s, not 3 s: the test acks after step 2's text (1.5 s), and with
          // 3 s a 1.7 s stall of this process before the ack texted the third contact.
          escalation: { steps: [{ contacts: ['c-1'], afterMs: 0 }, { contacts: ['c-2'], afterMs: 1_500 }, { contacts: ['c-3'], afterMs: 8_000 }] },
        }],
        gateways: [{ id: GW, site: 'tower-a', secretHash: await hashSecret(SECRET, { N: 1024, r: 8, p: 1 }) }],
        sms: { kind: 'twilio', baseUrl: fake.url, accountSid: SID, authToken: 'token', from: '+15559999999' },
        alerts: { tickIntervalMs: 100, publicBaseUrl: PUBLIC_BASE, ackSecret: 'an-ack-secret-of-32-characters!!' },
      }),
      { logger: silent },
    );
    let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
    try {
      const tcp = site.endpoints()[0] as { port: number };
      await writeFile(path.join(dir, 'credentials.yaml'), `username: ${GW}\npassword: ${SECRET}\n`, { mode: 0o600 });
      const configFile = path.join(dir, 'gateway.yaml');
      await writeFile(configFile, `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${server.brokerPort}", credentialsFile: credentials.yaml }
dataDir: data
log: { level: silent }
# 2 s: the sim answers in ms; three 500 ms timeouts in a starved process would take lift-1 offline: a comm-fail alert, texting beyond the counts below
buses: [{ id: tcp-a, kind: tcp, host: 127.0.0.1, port: ${tcp.port}, timeout: 2s }]
devices:
  - { id: lift-1, bus: tcp-a, unit: 7, profile: liftronic-lmi-200 }
polling: { fast: 50ms, normal: 100ms, slow: 200ms, snapshot: 1s }
`);
      const flowing = firstTelemetry(server);
      gateway = await startGateway(await loadGatewayConfig(configFile, registry), { registry, logger: silent });
      await flowing;

      const injectedAt = performance.now();
      site.injectFault('lift-1', 'entrapment');
      const first = await smsTo(fake, PHONES.first);
      console.log(`fault injection → first SMS request: ${(first.at - injectedAt).toFixed(0)} ms (includes the profile's 3 s alarm delay)`);
      expect(first.body).toContain('Tower A');
      expect(first.body).toContain('lift-1');
      // The compact ack link (~30 characters) leaves room for the fault: one GSM-7 segment.
      expect(first.body).toMatch(/lift-1: Passenger trapped between floors/);
      expect(measureSms(first.body)).toMatchObject({ encoding: 'gsm7' });
      expect(measureSms(first.body).units).toBeLessThanOrEqual(160);
      const link = /ACK (\S+)/.exec(first.body)?.[1] ?? '';
      expect(link.startsWith(`${PUBLIC_BASE}/ack/`)).toBe(true);

      // Nobody acknowledged: step 2 texts the second contact.
      const second = await smsTo(fake, PHONES.second);
      expect(second.at).toBeGreaterThan(first.at);
      const [alert] = await server.store.listOpenAlerts(GW);
      expect(alert).toMatchObject({ device: 'lift-1', rule: 'entrapment-alarm', state: 'notified' });
      expect(alert?.message).toMatch(/^Passenger trapped between floors/);

      // The link's host is the public name; the test reaches the same path on the real port.
      const local = `http://127.0.0.1:${server.httpPort}${new URL(link).pathname}`;
      const ack = await fetch(local);
      expect(ack.status).toBe(200);
      expect(await ack.text()).toContain('Acknowledged');
      // The link names the notification it came in: step 1, round 0, the first contact.
      expect(await server.store.getAlert(alert?.id ?? 0)).toMatchObject({
        state: 'acknowledged', acknowledgedBy: `ack-link:alert:${alert?.id ?? 0}:step:1:round:0:contact:c-1`,
      });
      const again = await fetch(local);
      expect(again.status).toBe(410);
      expect(await again.json()).toMatchObject({ error: { code: 'ACK_USED' } });
      const tampered = await fetch(`${local.slice(0, -2)}xx`);
      expect(tampered.status).toBe(400);
      const textedBeforeAck = fake.sms.length;

      const cleared = alarmEvent(server, 'entrapment-alarm', 'clear');
      site.clearFault('lift-1', 'entrapment');
      await cleared;
      // The engine runs calls in order: this tick completes after the clear was applied.
      await server.alerting.engine.tick();
      expect(await server.store.getAlert(alert?.id ?? 0)).toMatchObject({ state: 'resolved' });
      // Step 3 (8 s after the raise) fell due before the clear (the creep to the floor, then 5 s
      // clearFor: ~10 s after the ack): the ack held it back.
      expect(fake.sms.length).toBe(textedBeforeAck);
      expect(fake.sms.some((m) => m.to === PHONES.third)).toBe(false);
    } finally {
      await gateway?.stop();
      await server.stop();
      await site.stop();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
