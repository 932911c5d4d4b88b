import { spawnSync } from 'node:child_process';
import { serverConfigSchema, type ServerConfig } from '@edgefleet/fleet-server';
import { SiteConfig } from '@edgefleet/firmware-sim';
import { DEMO_LEAK_THRESHOLD } from './scenario.js';

export const DEMO_SITE = { id: 'riverside', name: 'Riverside Towers and car park' } as const;

export const DEMO_GATEWAY = { id: 'riverside-gw', name: 'Riverside gateway' } as const;

/** The gateway's devices, as `fleet device add` registers them (buses are demoSiteConfig's transports). */
export const DEMO_DEVICES = [
  { id: 'lift-a', name: 'Lift A', profile: 'liftronic-lmi-200', bus: 'rs485-lifts', unit: 1 },
  { id: 'lift-b', name: 'Lift B', profile: 'liftronic-lmi-200', bus: 'rs485-lifts', unit: 2 },
  { id: 'water-main', name: 'Water main', profile: 'aquametrix-um50', bus: 'tcp-main', unit: 10 },
  { id: 'signal-5th-main', name: 'Signal 5th and Main', profile: 'semaforo-tsc-8', bus: 'tcp-main', unit: 5 },
  { id: 'parking-l1', name: 'Car park level 1', profile: 'parksense-pgc-128', bus: 'tcp-main', unit: 1 },
] as const;

/** The two people the demo texts: the caretaker first, the technician when nobody acknowledges. */
export const DEMO_CONTACTS = [
  { name: 'Ann Berger', phone: '+15550100001', role: 'caretaker', order: 1 },
  { name: 'Ben Okafor', phone: '+15550100002', role: 'technician', order: 2 },
] as const;

/** Short on purpose: the technician's text follows the caretaker's within a demo's attention span. */
export const ESCALATE_AFTER_MS = 20_000;

/** socat makes the PTY pair the elevators' RS-485 line runs over; without it they move to TCP. */
export function hasSocat(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * The simulated site: two elevators on an RS-485 bus (a PTY pair when socat exists, else Modbus
 * TCP), a car park, a water meter and a signal cabinet on Modbus TCP. Every port is free (0).
 */
export function demoSiteConfig(rtu: boolean): SiteConfig {
  return SiteConfig.parse({
    name: `${DEMO_SITE.name} (simulated)`,
    tick: '200ms',
    seed: 3,
    transports: [
      // Even parity: 11-bit characters on both ends, as the gateway's bus default expects.
      rtu ? { id: 'rs485-lifts', kind: 'rtu', baud: 19200, parity: 'even', turnaround: '8ms' } : { id: 'rs485-lifts', kind: 'tcp' },
      { id: 'tcp-main', kind: 'tcp' },
    ],
    devices: [
      { id: 'lift-a', profile: 'liftronic-lmi-200', transport: 'rs485-lifts', unit: 1 },
      { id: 'lift-b', profile: 'liftronic-lmi-200', transport: 'rs485-lifts', unit: 2 },
      { id: 'parking-l1', profile: 'parksense-pgc-128', transport: 'tcp-main', unit: 1 },
      { id: 'water-main', profile: 'aquametrix-um50', transport: 'tcp-main', unit: 10 },
      { id: 'signal-5th-main', profile: 'semaforo-tsc-8', transport: 'tcp-main', unit: 5 },
    ],
  });
}

export interface DemoServerOptions {
  dataDir: string;
  mqttPort: number;
  httpPort: number;
  sms: { url: string; secret: string };
}

/**
 * server.yaml of the demo, as an object: loopback listeners, the SMS webhook of the demo, ack
 * links on the real HTTP address, a 1 s alert tick. The site is here, not created through the API,
 * because an escalation policy lives only in server.yaml; its contacts come through the CLI.
 */
export function demoServerConfig(o: DemoServerOptions): ServerConfig {
  return serverConfigSchema.parse({
    dataDir: o.dataDir,
    broker: { host: '127.0.0.1', port: o.mqttPort },
    http: { host: '127.0.0.1', port: o.httpPort },
    sites: [{
      id: DEMO_SITE.id, name: DEMO_SITE.name, timezone: 'UTC',
      escalation: { steps: [{ role: 'caretaker', afterMs: 0 }, { role: 'technician', afterMs: ESCALATE_AFTER_MS }] },
    }],
    sms: { kind: 'webhook', url: o.sms.url, secret: o.sms.secret },
    alerts: { tickIntervalMs: 1_000, publicBaseUrl: `http://127.0.0.1:${o.httpPort}`, thresholds: [DEMO_LEAK_THRESHOLD] },
    log: { level: 'error' },
  });
}
