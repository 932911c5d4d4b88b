import type { Logger } from 'pino';
import { closeAndWait, closeQuietly, createModbusClient } from './modbus-client.js';
import type { ModbusSerialClient } from './modbus-client.js';
import { ModbusError, classifyModbusError } from './modbus-error.js';
import type { BusState } from './modbus-transport.js';
import { DEFAULT_BACKOFF, reconnectDelayMs } from './reconnect-backoff.js';
import type { BackoffOptions } from './reconnect-backoff.js';

export interface LinkDeps {
  /** For messages: "RTU bus rs485-1 (/dev/ttyUSB0)". */
  label: string;
  /** Opens the port/connection of a fresh client (connectRTUBuffered / connectTCP). */
  connect: (client: ModbusSerialClient) => Promise<void>;
  /**
   * While up, asked every `presenceCheckMs`: false means the port is gone even though the
   * library has not noticed (see RtuTransport), and the link is dropped.
   */
  isPresent?: () => Promise<boolean>;
  presenceCheckMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  logger?: Logger;
}

const DEFAULT_PRESENCE_CHECK_MS = 1000;

/** How long close() waits for the port to confirm before giving up on it. */
const CLOSE_BOUND_MS = 1000;

/**
 * One port or connection that reopens itself: a new modbus-serial client per attempt, backoff
 * with jitter between attempts, 'down' → 'connecting' → 'up'. Loss is noticed from the client's
 * 'close' or 'error' (either may fire, the close possibly twice: handled once per client), and
 * calls in flight are rejected at once with MODBUS_PORT_LOST rather than left to time out.
 */
export class ReconnectingLink {
  readonly #deps: LinkDeps;
  #state: BusState = 'down';
  #client: ModbusSerialClient | undefined;
  #running = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #presenceTimer: NodeJS.Timeout | undefined;
  #downError = new ModbusError('MODBUS_PORT_LOST', 'not open');
  readonly #listeners = new Set<(state: BusState, reason?: string) => void>();
  #openWaiters: Array<() => void> = [];
  readonly #inFlight = new Set<(err: ModbusError) => void>();

  constructor(deps: LinkDeps) {
    this.#deps = deps;
  }

  state(): BusState {
    return this.#state;
  }

  onStateChange(listener: (state: BusState, reason?: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once up (or once close() is called first). Never rejects: it keeps retrying. */
  open(): Promise<void> {
    if (this.#state === 'up') return Promise.resolve();
    const ready = new Promise<void>((resolve) => this.#openWaiters.push(resolve));
    if (!this.#running) {
      this.#running = true;
      this.#attempt = 0;
      void this.#tryConnect();
    }
    return ready;
  }

  async close(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    clearInterval(this.#presenceTimer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    this.#downError = new ModbusError('MODBUS_PORT_LOST', `${this.#deps.label}: closed`);
    this.#rejectInFlight(this.#downError);
    this.#setState('down', 'closed');
    this.#resolveOpenWaiters();
    if (client) await closeAndWait(client, CLOSE_BOUND_MS);
  }

  /**
   * Runs `call` on the live client, classifying any failure. Rejects at once with the reason
   * the link is down when it is, and with MODBUS_PORT_LOST when it is lost mid-call.
   */
  use<T>(call: (client: ModbusSerialClient) => Promise<T>): Promise<T> {
    const client = this.#client;
    if (this.#state !== 'up' || !client) {
      return Promise.reject(new ModbusError(this.#downError.code, this.#downError.message));
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (err: ModbusError): void => {
        if (settled) return;
        settled = true;
        this.#inFlight.delete(fail);
        reject(err);
      };
      this.#inFlight.add(fail);
      call(client).then(
        (value) => {
          if (settled) return;
          settled = true;
          this.#inFlight.delete(fail);
          resolve(value);
        },
        (err: unknown) => fail(classifyModbusError(err)),
      );
    });
  }

  /** The caller found the connection unusable (e.g. a desynchronised stream): drop it and reconnect. */
  drop(reason: string): void {
    if (this.#client) this.#lost(this.#client, reason);
  }

  async #tryConnect(): Promise<void> {
    this.#timer = undefined;
    if (!this.#running) return;
    this.#setState('connecting');
    const client = createModbusClient();
    // Listeners first: an 'error' event without one would crash the process.
    client.on('error', (err: unknown) => this.#lost(client, classifyModbusError(err).message));
    client.on('close', () => this.#lost(client, 'port closed'));
    try {
      await this.#deps.connect(client);
    } catch (err) {
      closeQuietly(client);
      if (!this.#running) return;
      const failure = classifyModbusError(err);
      this.#downError = new ModbusError(failure.code, `${this.#deps.label}: ${failure.message}`, { cause: err });
      this.#setState('down', this.#downError.message);
      this.#scheduleAttempt();
      return;
    }
    if (!this.#running) {
      closeQuietly(client);
      return;
    }
    this.#client = client;
    this.#attempt = 0;
    this.#watchPresence(client);
    this.#setState('up');
    this.#resolveOpenWaiters();
  }

  #lost(client: ModbusSerialClient, reason: string): void {
    // Idempotent: a stale client's events, and the second 'close', change nothing.
    if (client !== this.#client) return;
    this.#client = undefined;
    clearInterval(this.#presenceTimer);
    closeQuietly(client);
    this.#downError = new ModbusError('MODBUS_PORT_LOST', `${this.#deps.label}: ${reason}`);
    this.#rejectInFlight(this.#downError);
    this.#setState('down', this.#downError.message);
    if (this.#running) this.#scheduleAttempt();
  }

  #watchPresence(client: ModbusSerialClient): void {
    const isPresent = this.#deps.isPresent;
    if (!isPresent) return;
    this.#presenceTimer = setInterval(() => {
      void isPresent().then((present) => {
        if (!present) this.#lost(client, 'the device disappeared');
      });
    }, this.#deps.presenceCheckMs ?? DEFAULT_PRESENCE_CHECK_MS);
    // A watchdog must not keep the process alive on its own.
    this.#presenceTimer.unref();
  }

  #scheduleAttempt(): void {
    const delay = reconnectDelayMs(this.#attempt++, this.#deps.backoff ?? DEFAULT_BACKOFF, this.#deps.random);
    this.#deps.logger?.debug({ delayMs: delay, attempt: this.#attempt }, 'reconnect scheduled');
    this.#timer = setTimeout(() => void this.#tryConnect(), delay);
  }

  #rejectInFlight(err: ModbusError): void {
    for (const fail of [...this.#inFlight]) fail(new ModbusError(err.code, err.message));
  }

  #resolveOpenWaiters(): void {
    const waiters = this.#openWaiters;
    this.#openWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #setState(state: BusState, reason?: string): void {
    if (state === this.#state) return;
    this.#state = state;
    const log = this.#deps.logger;
    if (state === 'down') log?.warn({ reason }, `${this.#deps.label} down`);
    else log?.info(`${this.#deps.label} ${state}`);
    for (const listener of [...this.#listeners]) {
      // A listener's bug must not stop the reconnect loop.
      try {
        listener(state, reason);
      } catch (err) {
        log?.error({ err }, `${this.#deps.label}: a state listener threw`);
      }
    }
  }
}
