import type { DeviceSummary, SiteEndpoint } from '@edgefleet/firmware-sim';

/** Human-readable lines saying where each transport answers and which devices sit behind it. */
export function describeEndpoints(endpoints: readonly SiteEndpoint[], devices: readonly DeviceSummary[]): string[] {
  return endpoints.map((e) => {
    const units = devices
      .filter((d) => d.transport === e.transport)
      .map((d) => `${d.unit}=${d.id}`)
      .join(' ');
    const where = e.kind === 'tcp' ? `modbus tcp  ${e.host}:${e.port}` : `modbus rtu  ${e.masterPath ?? e.path} @ ${e.baud} ${e.parity}`;
    return `  ${e.transport.padEnd(14)} ${where}   units ${units}`;
  });
}

/** One mbpoll command per transport, reading the first device's first registers. */
export function exampleReads(endpoints: readonly SiteEndpoint[], devices: readonly DeviceSummary[]): string[] {
  return endpoints.flatMap((e) => {
    const first = devices.find((d) => d.transport === e.transport);
    if (!first) return [];
    // mbpoll numbers references from 1 (-r 1 = protocol address 0); -t 4 = holding registers.
    return e.kind === 'tcp'
      ? [`  mbpoll -m tcp -p ${e.port} -a ${first.unit} -t 4 -r 1 -c 10 -1 ${e.host}`]
      : [`  mbpoll -m rtu -b ${e.baud} -P ${e.parity} -a ${first.unit} -t 4 -r 1 -c 10 -1 ${e.masterPath ?? e.path}`];
  });
}
