// Child process of the sim-tcp benchmark: runs one Modbus TCP server on a free port, prints
// {"port": N} on stdout, and exits when stdin closes. A separate process gives the server its
// own event loop, as in a real deployment, so the client's work does not slow it down.
import type { AddressInfo, Server } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import { SimUnit, startTcpServer } from '@edgefleet/firmware-sim';
import { BENCH_PROFILE } from './bench-profile.js';
import { startRawResponder } from './raw-responder.js';

export type TcpServerKind = 'sim' | 'raw' | 'modbus-serial';

async function startModbusSerial(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new ServerTCP({ getHoldingRegister: () => 0 }, { host: '127.0.0.1', port: 0, unitID: 1 });
  await new Promise<void>((resolve) => server.on('initialized', () => resolve()));
  // ServerTCP does not expose its port; its net.Server is the private `_server`.
  const inner = (server as unknown as { _server: Server })._server;
  return { port: (inner.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function start(kind: string): Promise<{ port: number; close(): Promise<void> }> {
  if (kind === 'raw') return startRawResponder();
  if (kind === 'modbus-serial') return startModbusSerial();
  if (kind === 'sim') {
    const unit = new SimUnit({ unit: 1, profile: BENCH_PROFILE });
    return startTcpServer({ port: 0, units: (id) => (id === 1 ? unit : undefined) });
  }
  throw new Error(`tcp-server-child: unknown server kind "${kind}" (sim | raw | modbus-serial)`);
}

const server = await start(process.argv[2] ?? '');
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
