import ModbusRTU from 'modbus-serial';

export type ModbusClient = InstanceType<typeof ModbusRTU.default>;

/** A modbus-serial client on the sim's TCP port, with a short timeout (its default is none). */
export async function connectTcpClient(port: number, unit: number, timeoutMs = 500): Promise<ModbusClient> {
  const client = new ModbusRTU.default();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unit);
  client.setTimeout(timeoutMs);
  return client;
}

/** A modbus-serial RTU client on the master end of a PTY pair. */
export async function connectRtuClient(path: string, unit: number, timeoutMs = 500): Promise<ModbusClient> {
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
