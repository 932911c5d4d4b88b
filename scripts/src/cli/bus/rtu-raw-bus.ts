import type { SerialPort } from 'serialport';
import { bitsPerChar, crc16, hasValidCrc, lineTiming } from '@edgefleet/firmware-sim';
import type { LineTiming } from '@edgefleet/firmware-sim';
import { CliError, EXIT } from '../cli-error.js';
import { closeSerialPort, openSerialPort } from './open-serial-port.js';
import type { SerialSettings } from './open-serial-port.js';
import type { RawBus, RawReply, TransactionRecord } from './raw-bus.js';
import { rtuReplyLength } from './rtu-reply-length.js';

/** Modbus over Serial Line v1.02 §2.5.1: an RTU frame is at most 256 bytes. */
const MAX_ADU_BYTES = 256;
/** Host and USB adapter latency allowed on top of a whole frame's line time, once a reply has begun. */
const COMPLETION_SLACK_MS = 50;

interface Pending {
  onData(chunk: Buffer): void;
  fail(err: Error): void;
}

/**
 * Modbus RTU master for scanning: one transaction at a time, t3.5 of silence before each
 * request (Serial Line v1.02 §2.5.1.1), and a timeout that runs from when the request has left
 * the line (its character time after the write) until the reply's first byte. A unit that does
 * not answer therefore costs request time + timeout + t3.5, the least a master can spend on it.
 */
export class RtuRawBus implements RawBus {
  readonly kind = 'rtu';
  readonly transactions: TransactionRecord[] = [];
  readonly timing: LineTiming;
  #freeAt = 0;
  #pending: Pending | undefined;
  #failure: Error | undefined;
  #idle = Buffer.alloc(0);
  /** Bytes that arrived outside any transaction (a late reply, noise). */
  strayBytes = 0;
  /** Units whose valid reply arrived after their request had timed out. */
  readonly lateUnits = new Set<number>();

  private constructor(
    private readonly port: SerialPort,
    readonly settings: SerialSettings,
  ) {
    this.timing = lineTiming(settings.baud, { bitsPerChar: bitsPerChar(settings) });
    port.on('data', (chunk: Buffer) => {
      if (this.#pending) this.#pending.onData(chunk);
      else this.#onIdleData(chunk);
    });
    port.on('error', (err: Error) => this.#lose(err));
    port.on('close', () => this.#lose(new Error('port closed')));
  }

  /**
   * Bytes between transactions: noise, or a reply that came after its request had timed out
   * (a slow device, a busy host). A whole valid frame names a unit that is there.
   */
  #onIdleData(chunk: Buffer): void {
    this.strayBytes += chunk.length;
    this.#idle = Buffer.concat([this.#idle, chunk]);
    const need = rtuReplyLength(this.#idle);
    if (need === undefined || need === 'unknown' || this.#idle.length < need) return;
    if (hasValidCrc(this.#idle.subarray(0, need))) this.lateUnits.add(this.#idle[0] ?? 0);
    this.#idle = Buffer.alloc(0);
  }

  static async open(settings: SerialSettings): Promise<RtuRawBus> {
    return new RtuRawBus(await openSerialPort(settings), settings);
  }

  #lose(err: Error): void {
    this.#failure ??= new CliError(`serial port ${this.settings.path} lost: ${err.message}`, EXIT.bus, 'was the adapter unplugged?');
    this.#pending?.fail(this.#failure);
  }

  async request(unit: number, pdu: Buffer, timeoutMs: number): Promise<RawReply> {
    if (this.#failure) throw this.#failure;
    const wait = this.#freeAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const adu = Buffer.alloc(pdu.length + 3);
    adu[0] = unit;
    pdu.copy(adu, 1);
    const crc = crc16(adu, 0, adu.length - 2);
    adu[adu.length - 2] = crc & 0xff;
    adu[adu.length - 1] = crc >>> 8;
    this.#idle = Buffer.alloc(0);
    const record: TransactionRecord = { reqBytes: adu.length, timeoutMs };
    this.transactions.push(record);
    return new Promise<RawReply>((resolve, reject) => {
      let received = Buffer.alloc(0);
      let timer: NodeJS.Timeout | undefined;
      const finish = (reply: RawReply): void => {
        clearTimeout(timer);
        this.#pending = undefined;
        this.#freeAt = performance.now() + this.timing.t35Ms;
        if (reply.kind !== 'timeout') record.respBytes = received.length;
        resolve(reply);
      };
      const sentAt = performance.now();
      const startDeadline = sentAt + this.timing.frameMs(adu.length) + timeoutMs;
      const awaitStart = (): void => {
        timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, startDeadline - performance.now()));
      };
      awaitStart();
      this.#pending = {
        fail: (err) => {
          clearTimeout(timer);
          this.#pending = undefined;
          reject(err);
        },
        onData: (chunk) => {
          if (received.length === 0) {
            // The reply has begun: now bound only how long the rest may take.
            clearTimeout(timer);
            const bound = Math.max(0, sentAt + this.timing.frameMs(adu.length + MAX_ADU_BYTES) + timeoutMs + COMPLETION_SLACK_MS - performance.now());
            timer = setTimeout(() => finish({ kind: 'garbled', bytes: received.length }), bound);
          }
          received = Buffer.concat([received, chunk]);
          const need = rtuReplyLength(received);
          if (need === undefined || need === 'unknown' || received.length < need) return;
          const frame = received.subarray(0, need);
          const valid = hasValidCrc(frame);
          if (valid && frame[0] !== unit && received.length === need) {
            // A whole, valid reply from another unit: one that answered an earlier request too
            // late. It proves that unit is there; our own reply may still come.
            this.lateUnits.add(frame[0] ?? 0);
            received = Buffer.alloc(0);
            clearTimeout(timer);
            return awaitStart();
          }
          const ok = valid && frame[0] === unit && ((frame[1] ?? 0) & 0x7f) === pdu[0];
          finish(ok ? { kind: 'reply', pdu: Buffer.from(frame.subarray(1, need - 2)) } : { kind: 'garbled', bytes: received.length });
        },
      };
      this.port.write(adu, (err) => {
        if (err) this.#lose(err);
      });
    });
  }

  close(): Promise<void> {
    this.#failure ??= new CliError('bus closed', EXIT.bus);
    return closeSerialPort(this.port);
  }
}
