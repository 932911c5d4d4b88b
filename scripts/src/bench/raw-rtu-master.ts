import { SerialPort } from 'serialport';
import { crc16, hasValidCrc } from '@edgefleet/firmware-sim';

function fc03Request(unit: number, address: number, count: number): Buffer {
  const frame = Buffer.from([unit, 3, address >> 8, address & 0xff, count >> 8, count & 0xff, 0, 0]);
  const crc = crc16(frame, 0, 6);
  frame[6] = crc & 0xff;
  frame[7] = crc >>> 8;
  return frame;
}

/**
 * A lean Modbus RTU master for benchmarks: FC03 of `registers` registers, the next request
 * written the moment the previous reply is complete. Runs one warm-up transaction, then
 * `transactions` timed ones, and returns the mean time per transaction in ms. Timing starts at
 * the warm-up reply, so the mean is the bus cycle: request, t3.5, turnaround, response, t3.5.
 */
export async function measureRtuTransactionMs(opts: { path: string; baud: number; unit: number; registers: number; transactions: number }): Promise<number> {
  const port = new SerialPort({ path: opts.path, baudRate: opts.baud, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const request = fc03Request(opts.unit, 0, opts.registers);
  const replyBytes = 5 + 2 * opts.registers;
  try {
    return await new Promise<number>((resolve, reject) => {
      const reply = Buffer.alloc(replyBytes);
      let received = 0;
      let done = -1; // the warm-up transaction is number 0
      let start = 0;
      port.on('data', (chunk: Buffer) => {
        if (received + chunk.length > replyBytes) return reject(new Error(`raw RTU master: ${received + chunk.length} bytes, expected ${replyBytes}`));
        chunk.copy(reply, received);
        received += chunk.length;
        if (received < replyBytes) return;
        const now = performance.now();
        if (!hasValidCrc(reply)) return reject(new Error(`raw RTU master: bad CRC in reply ${reply.toString('hex')}`));
        received = 0;
        done++;
        if (done === 0) start = now;
        if (done === opts.transactions) return resolve((now - start) / opts.transactions);
        port.write(request);
      });
      port.on('error', reject);
      port.write(request);
    });
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
