import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawResponder {
  port: number;
  close(): Promise<void>;
}

/**
 * The baseline of the sim-tcp benchmark: the least a Modbus TCP server can do. It parses MBAP
 * headers and answers every request as an FC03 read of zeros; nothing else (no unit lookup, no
 * validation, no register bank).
 */
export async function startRawResponder(port = 0): Promise<RawResponder> {
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      while (buf.length >= 12) {
        const frameBytes = 6 + buf.readUInt16BE(4);
        if (buf.length < frameBytes) break;
        const count = buf.readUInt16BE(10);
        const reply = Buffer.alloc(9 + 2 * count);
        buf.copy(reply, 0, 0, 2);
        reply.writeUInt16BE(3 + 2 * count, 4);
        reply[6] = buf[6] ?? 0;
        reply[7] = 3;
        reply[8] = 2 * count;
        socket.write(reply);
        buf = buf.subarray(frameBytes);
      }
      pending = Buffer.from(buf);
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
