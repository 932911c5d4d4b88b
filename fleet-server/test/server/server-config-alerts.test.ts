import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '@edgefleet/device-profiles';
import { parseServerConfig } from '../../src/config/server-config.js';

const FILE = '/etc/edgefleet/server.yaml';

function messageOf(text: string): string {
  try {
    parseServerConfig(text, FILE);
  } catch (err) {
    if (err instanceof ConfigFileError) return err.message;
    throw err;
  }
  throw new Error('config was accepted');
}

describe('server.yaml alerting fields', () => {
  it('loads a config without them: no contacts, no escalation steps, alert defaults', () => {
    const config = parseServerConfig('dataDir: /var/edgefleet\n', FILE);
    expect(config.sites).toEqual([{ id: 'default', name: 'Default site', timezone: 'UTC', contacts: [], escalation: { steps: [] } }]);
    expect(config.alerts).toEqual({ tickIntervalMs: 5_000, publicBaseUrl: 'http://127.0.0.1:8080', ackLinkTtlMs: 86_400_000, thresholds: [] });
  });

  it('reads contacts with role/order defaults and an escalation policy per site', () => {
    const config = parseServerConfig(`dataDir: /var/edgefleet
alerts: { tickIntervalMs: 1000, publicBaseUrl: "https://fleet.example.com", ackSecret: "0123456789abcdef0123" }
sites:
  - id: tower-a
    name: Tower A
    contacts:
      - { id: c-1, name: Ana, phone: "+4915112345678" }
      - { id: c-2, name: Bo, phone: "+4915112345679", role: supervisor, escalationOrder: 2 }
    escalation:
      steps: [{ contacts: [c-1], afterMs: 0 }, { role: supervisor, afterMs: 300000 }]
      repeatMs: 600000
`, FILE);
    const [site] = config.sites;
    expect(site?.contacts).toEqual([
      { id: 'c-1', name: 'Ana', phone: '+4915112345678', role: 'technician', escalationOrder: 1 },
      { id: 'c-2', name: 'Bo', phone: '+4915112345679', role: 'supervisor', escalationOrder: 2 },
    ]);
    expect(site?.escalation.steps).toHaveLength(2);
    expect(site?.escalation.repeatMs).toBe(600_000);
    expect(config.alerts.ackSecret).toBe('0123456789abcdef0123');
  });

  it('names the field of a bad phone, a repeated contact id, unordered steps and a short ack secret', () => {
    const text = `dataDir: /var/edgefleet
alerts: { ackSecret: short }
sites:
  - id: a
    name: A
    contacts: [{ id: c-1, name: Ana, phone: "0151 123" }]
    escalation: { steps: [{ contacts: [c-1], afterMs: 5000 }, { contacts: [c-1], afterMs: 0 }] }
  - id: b
    name: B
    contacts: [{ id: c-1, name: Ana, phone: "+4915112345678" }]
`;
    const message = messageOf(text);
    expect(message).toContain('sites[0].contacts[0].phone');
    expect(message).toContain('sites[0].escalation.steps');
    expect(message).toContain('alerts.ackSecret');
  });

  it('names a contact id listed on two sites', () => {
    const message = messageOf(`dataDir: /var/edgefleet
sites:
  - { id: a, name: A, contacts: [{ id: c-1, name: Ana, phone: "+4915112345678" }] }
  - { id: b, name: B, contacts: [{ id: c-1, name: Bo, phone: "+4915112345679" }] }
`);
    expect(message).toContain('sites[1].contacts[0].id');
    expect(message).toContain('contact "c-1" is listed twice');
  });
});
