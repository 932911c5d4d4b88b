import type { DeviceSummary, SiteEndpoint } from '@edgefleet/firmware-sim';

/**
 * gateway.yaml for the demo: one bus per simulated transport (the RTU bus on the PTY's master
 * end), every simulated device, fast polling so changes show within a second.
 */
export function demoGatewayYaml(gatewayId: string, brokerPort: number, endpoints: readonly SiteEndpoint[], devices: readonly DeviceSummary[]): string {
  const buses = endpoints.map((e) =>
    e.kind === 'tcp'
      ? `  - { id: ${e.transport}, kind: tcp, host: ${e.host}, port: ${e.port}, timeout: 500ms }`
      : // Modbus over Serial Line v1.02 §2.5.1: no parity means two stop bits (11-bit characters).
        `  - { id: ${e.transport}, kind: rtu, path: "${e.masterPath ?? e.path}", baud: ${e.baud}, parity: ${e.parity}, stopBits: ${e.parity === 'none' ? 2 : 1}, timeout: 300ms }`,
  );
  const devs = devices.map((d) => `  - { id: ${d.id}, bus: ${d.transport}, unit: ${d.unit}, profile: ${d.profile} }`);
  return [
    `gateway: { id: ${gatewayId} }`,
    `uplink: { url: "mqtt://127.0.0.1:${brokerPort}" }`,
    'dataDir: data',
    'log: { level: error }',
    'health: { interval: 10s }',
    'buses:',
    ...buses,
    'devices:',
    ...devs,
    'polling: { fast: 500ms, normal: 2s, slow: 10s, snapshot: 1m }',
    '',
  ].join('\n');
}
