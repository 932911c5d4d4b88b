import net from 'node:net';

/**
 * A lean Modbus TCP master for benchmarks: one connection, one FC03 request in flight, the next
 * sent the moment the previous reply is complete. Lean so the client is never the bottleneck.
 */
export class RawTcpClient {
  readonly #socket: net.Socket;
  readonly #request: Buffer;
  readonly #replyBytes: number;
  #tid = 0;

  private constructor(socket: net.Socket, unit: number, registers: number) {
    this.#socket = socket;
    this.#request = Buffer.from([0, 0, 0, 0, 0, 6, unit, 3, 0, 0, 0, registers]);
    this.#replyBytes = 9 + 2 * registers;
  }

  static async connect(opts: { port: number; unit: number; registers: number }): Promise<RawTcpClient> {
    const socket = net.connect({ port: opts.port, host: '127.0.0.1', noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.setNoDelay(true);
    return new RawTcpClient(socket, opts.unit, opts.registers);
  }

  /** Runs back-to-back transactions for about `durationMs`; returns how many and how long exactly. */
  runFor(durationMs: number): Promise<{ transactions: number; elapsedMs: number }> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      let received = 0;
      let transactions = 0;
      const start = performance.now();
      const send = (): void => {
        this.#tid = (this.#tid + 1) & 0xffff;
        this.#request.writeUInt16BE(this.#tid, 0);
        socket.write(this.#request);
      };
      const onData = (chunk: Buffer): void => {
        received += chunk.length;
        if (received < this.#replyBytes) return;
        // Replies normally arrive whole; check the transaction id when they do.
        if (received > this.#replyBytes || (chunk.length === this.#replyBytes && chunk.readUInt16BE(0) !== this.#tid)) {
          finish(new Error(`raw TCP client: unexpected reply (${received} bytes, expected ${this.#replyBytes} for transaction ${this.#tid})`));
          return;
        }
        received = 0;
        transactions++;
        const elapsedMs = performance.now() - start;
        if (elapsedMs >= durationMs) finish(undefined, { transactions, elapsedMs });
        else send();
      };
      const finish = (err?: Error, result?: { transactions: number; elapsedMs: number }): void => {
        socket.off('data', onData);
        socket.off('error', finish);
        if (err || !result) reject(err ?? new Error('raw TCP client: no result'));
        else resolve(result);
      };
      socket.on('data', onData);
      socket.once('error', finish);
      send();
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}
