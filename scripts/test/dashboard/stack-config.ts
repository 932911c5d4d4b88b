import type { SiteEndpoint } from '@edgefleet/firmware-sim';
import { serverConfigSchema, type ServerConfig } from '@edgefleet/fleet-server';
import { DEMO_CONTACTS, DEMO_DEVICES, DEMO_GATEWAY, DEMO_SITE } from '../../src/demo/demo-setup.js';

/** The second site: a manager of it must see nothing of the demo site. */
export const OTHER_SITE = { id: 'harbour', name: 'Harbour Offices' } as const;
export const OTHER_GATEWAY = 'harbour-gw';

export interface StackServerOptions {
  dataDir: string;
  dashboardDir: string;
  sms: { url: string; secret: string };
  gatewaySecretHash: string;
}

/**
 * The server of the browser tests: the demo site (texting its caretaker at once, so an alert's
 * timeline has an SMS attempt) and another site with a gateway of its own, every port free,
 * a fast alert tick, and the freshly built dashboard under `/`.
 */
export function stackServerConfig(o: StackServerOptions): ServerConfig {
  const caretaker = DEMO_CONTACTS[0];
  return serverConfigSchema.parse({
    dataDir: o.dataDir,
    broker: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0, dashboard: { dir: o.dashboardDir } },
    sites: [
      {
        id: DEMO_SITE.id, name: DEMO_SITE.name, timezone: 'UTC',
        contacts: [{ id: 'c-caretaker', name: caretaker.name, phone: caretaker.phone, role: caretaker.role }],
        escalation: { steps: [{ contacts: ['c-caretaker'], afterMs: 0 }] },
      },
      { id: OTHER_SITE.id, name: OTHER_SITE.name, timezone: 'UTC' },
    ],
    gateways: [
      { id: DEMO_GATEWAY.id, site: DEMO_SITE.id, name: DEMO_GATEWAY.name, secretHash: o.gatewaySecretHash },
      { id: OTHER_GATEWAY, site: OTHER_SITE.id, secretHash: o.gatewaySecretHash },
    ],
    sms: { kind: 'webhook', url: o.sms.url, secret: o.sms.secret },
    alerts: { tickIntervalMs: 200, publicBaseUrl: 'http://127.0.0.1:8080' },
    log: { level: 'error' },
  });
}

/** gateway.yaml for the demo's devices on the sim's endpoints; health every second so the server learns the devices at once. */
export function stackGatewayYaml(endpoints: readonly SiteEndpoint[], brokerPort: number): string {
  const buses = endpoints.map((e) => {
    if (e.kind !== 'tcp') throw new Error(`dashboard stack: transport ${e.transport} is not TCP`);
    return `  - { id: ${e.transport}, kind: tcp, host: ${e.host}, port: ${e.port}, timeout: 500ms }`;
  });
  const devices = DEMO_DEVICES.map((d) => `  - { id: ${d.id}, bus: ${d.bus}, unit: ${d.unit}, profile: ${d.profile}, name: "${d.name}" }`);
  return `gateway: { id: ${DEMO_GATEWAY.id} }
uplink: { url: "mqtt://127.0.0.1:${brokerPort}", credentialsFile: credentials.yaml }
dataDir: data
log: { level: silent }
health: { interval: 1s }
buses:
${buses.join('\n')}
devices:
${devices.join('\n')}
polling: { fast: 200ms, normal: 500ms, slow: 2s, snapshot: 5s }
`;
}
