import net from 'node:net';
import { CliError, EXIT } from '../cli-error.js';
import type { RawBus, RawReply, TransactionRecord } from './raw-bus.js';

const CONNECT_TIMEOUT_MS = 5000;
/** Messaging on TCP/IP Implementation Guide v1.0b §3.1.3: MBAP header is 7 bytes, length ≤ 254. */
const MBAP_BYTES = 7;

/**
 * Modbus TCP master for scanning: one request at a time, replies matched by transaction id
 * (a late reply to an earlier, timed-out request is dropped).
 */
export class TcpRawBus implements RawBus {
  readonly kind = 'tcp';
  readonly transactions: TransactionRecord[] = [];
  /** Replies are matched by transaction id, so a late one is dropped, never taken for a present unit. */
  readonly lateUnits = new Set<number>();
  #nextId = 1;
  #buffer = Buffer.alloc(0);
  #waiting: { id: number; resolve: (reply: RawReply) => void; reject: (err: Error) => void } | undefined;
  #failure: Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    readonly label: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#lose(err.message));
    socket.on('close', () => this.#lose('connection closed by the device'));
  }

  static async open(host: string, port: number): Promise<TcpRawBus> {
    const label = `${host}:${port}`;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      const fail = (why: string): void => {
        s.destroy();
        reject(new CliError(`cannot connect to Modbus TCP ${label}: ${why}`, EXIT.bus, 'is the device on this network, and is its port 502 (or the one given after ":")?'));
      };
      s.setTimeout(CONNECT_TIMEOUT_MS, () => fail(`no answer within ${CONNECT_TIMEOUT_MS} ms`));
      s.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ECONNREFUSED' ? 'connection refused' : err.message));
      s.once('connect', () => {
        s.setTimeout(0);
        s.removeAllListeners('error');
        resolve(s);
      });
    });
    return new TcpRawBus(socket, label);
  }

  #lose(why: string): void {
    this.#failure ??= new CliError(`Modbus TCP ${this.label}: ${why}`, EXIT.bus);
    this.#waiting?.reject(this.#failure);
    this.#waiting = undefined;
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= MBAP_BYTES) {
      const length = this.#buffer.readUInt16BE(4);
      if (this.#buffer.readUInt16BE(2) !== 0 || length < 2 || length > 254) {
        this.socket.destroy();
        return this.#lose('invalid MBAP header in the reply stream');
      }
      const total = 6 + length;
      if (this.#buffer.length < total) return;
      const id = this.#buffer.readUInt16BE(0);
      const pdu = Buffer.from(this.#buffer.subarray(MBAP_BYTES, total));
      this.#buffer = this.#buffer.subarray(total);
      const waiting = this.#waiting;
      if (waiting && waiting.id === id) {
        this.#waiting = undefined;
        waiting.resolve({ kind: 'reply', pdu });
      }
    }
  }

  request(unit: number, pdu: Buffer, timeoutMs: number): Promise<RawReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId;
    this.#nextId = (this.#nextId % 0xffff) + 1;
    const frame = Buffer.alloc(MBAP_BYTES + pdu.length);
    frame.writeUInt16BE(id, 0);
    frame.writeUInt16BE(0, 2);
    frame.writeUInt16BE(pdu.length + 1, 4);
    frame[6] = unit;
    pdu.copy(frame, MBAP_BYTES);
    const record: TransactionRecord = { reqBytes: frame.length, timeoutMs };
    this.transactions.push(record);
    return new Promise<RawReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.#waiting = {
        id,
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.kind === 'reply') record.respBytes = MBAP_BYTES + reply.pdu.length;
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.socket.write(frame);
    });
  }

  close(): Promise<void> {
    this.#failure ??= new CliError('bus closed', EXIT.bus);
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }
}
