import ModbusRTU from 'modbus-serial';

export type ModbusClient = InstanceType<typeof ModbusRTU.default>;

/**
 * The response timeout when a test expects an answer (modbus-serial's default is none). The sim
 * answers within ms; 500 ms could be missed by a starved process under a CI-like load, turning an
 * expected reply or exception into ETIMEDOUT. Tests of silence pass their own short timeout.
 */
const ANSWER_TIMEOUT_MS = 5_000;

/** A modbus-serial client on the sim's TCP port. */
export async function connectTcpClient(port: number, unit: number, timeoutMs = ANSWER_TIMEOUT_MS): Promise<ModbusClient> {
  const client = new ModbusRTU.default();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unit);
  client.setTimeout(timeoutMs);
  return client;
}

/** A modbus-serial RTU client on the master end of a PTY pair. */
export async function connectRtuClient(path: string, unit: number, timeoutMs = ANSWER_TIMEOUT_MS): Promise<ModbusClient> {
  const client = new ModbusRTU.default();
  await client.connectRTUBuffered(path, { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
  client.setID(unit);
  client.setTimeout(timeoutMs);
  return client;
}

export function closeClient(client: ModbusClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.isOpen) return resolve();
    client.close(() => resolve());
  });
}
