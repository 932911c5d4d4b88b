import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { CliError, EXIT } from '../cli-error.js';
import type { Parity } from './bus-options.js';

export interface SerialSettings {
  path: string;
  baud: number;
  parity: Parity;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

const PORT_HINT = 'ls /dev/serial/by-id/ lists the adapters plugged in';

/** Fails with one line naming the path when the serial port is missing or cannot be opened. */
export async function checkSerialPath(path: string): Promise<void> {
  try {
    await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`serial port ${path} does not exist`, EXIT.bus, PORT_HINT);
    throw new CliError(`serial port ${path}: ${(err as Error).message}`, EXIT.bus, PORT_HINT);
  }
}

/** Opens a serial port, or fails with a CliError (exit 3) naming the path. */
export async function openSerialPort(settings: SerialSettings): Promise<SerialPort> {
  await checkSerialPath(settings.path);
  const port = new SerialPort({
    path: settings.path, baudRate: settings.baud, parity: settings.parity, dataBits: settings.dataBits, stopBits: settings.stopBits, autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new CliError(`cannot open serial port ${settings.path}: ${err.message}`, EXIT.bus, 'is another program using it? are you in the dialout group?')) : resolve())),
  );
  return port;
}

export function closeSerialPort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}
