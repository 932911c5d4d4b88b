import ModbusRTU from 'modbus-serial';
import { decodePoint, durationMs, planReads, type PointValue, type Profile, type ReadRequest } from '@edgefleet/device-profiles';

type Client = InstanceType<typeof ModbusRTU.default>;

export type Endpoint = { kind: 'tcp'; host: string; port: number } | { kind: 'rtu'; path: string; baud: number };

export interface DecodedRead {
  values: Record<string, PointValue>;
  /** Requests that failed, with the library's message: the demo shows them instead of values. */
  errors: string[];
}

/**
 * A minimal Modbus master for the demo and CLI: one modbus-serial client per endpoint, one
 * transaction at a time (LIBRARIES.md: modbus-serial mismatches replies when calls overlap on
 * RTU). The gateway's bus scheduler (issue 3) is the real poller; this only shows the chain.
 */
export class ModbusReader {
  private readonly client: Client = new ModbusRTU.default();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly endpoint: Endpoint) {}

  static async open(endpoint: Endpoint, timeoutMs = 1000): Promise<ModbusReader> {
    const reader = new ModbusReader(endpoint);
    if (endpoint.kind === 'tcp') await reader.client.connectTCP(endpoint.host, { port: endpoint.port });
    else await reader.client.connectRTUBuffered(endpoint.path, { baudRate: endpoint.baud });
    // modbus-serial has no default timeout: a silent slave would hang the call forever.
    reader.client.setTimeout(timeoutMs);
    return reader;
  }

  /** Reads and decodes every point of the profile (or the given ids) from one unit. */
  readDevice(unit: number, profile: Profile, pointIds?: readonly string[]): Promise<DecodedRead> {
    const run = this.queue.then(() => this.readNow(unit, profile, pointIds));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readNow(unit: number, profile: Profile, pointIds?: readonly string[]): Promise<DecodedRead> {
    const points = pointIds ? profile.points.filter((p) => pointIds.includes(p.id)) : profile.points;
    const byId = new Map(points.map((p) => [p.id, p]));
    const result: DecodedRead = { values: {}, errors: [] };
    this.client.setID(unit);
    const gapMs = durationMs(profile.transport.minRequestGap);
    for (const request of planReads(points, profile.transport)) {
      try {
        const raw = await this.fetch(request);
        for (const placed of request.points) {
          const point = byId.get(placed.id);
          if (point) result.values[placed.id] = decodePoint(point, raw.slice(placed.offset, placed.offset + placed.span), profile.transport);
        }
      } catch (err) {
        result.errors.push(`${request.table}@${request.address}+${request.count}: ${describeError(err)}`);
      }
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    return result;
  }

  private async fetch(request: ReadRequest): Promise<number[]> {
    switch (request.table) {
      case 'holding':
        return (await this.client.readHoldingRegisters(request.address, request.count)).data;
      case 'input':
        return (await this.client.readInputRegisters(request.address, request.count)).data;
      case 'coil':
        return (await this.client.readCoils(request.address, request.count)).data.slice(0, request.count).map(Number);
      case 'discrete':
        return (await this.client.readDiscreteInputs(request.address, request.count)).data.slice(0, request.count).map(Number);
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.client.close(() => resolve()));
  }
}

/** modbus-serial rejects with non-Error objects for timeouts (LIBRARIES.md): say what happened. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; modbusCode?: number; errno?: string };
  if (e.modbusCode !== undefined) return `exception ${e.modbusCode}`;
  if (e.name === 'TransactionTimedOutError' || e.errno === 'ETIMEDOUT') return 'timeout';
  return e.message ?? String(err);
}
