import type { BusState } from '../modbus/modbus-transport.js';
import type { NewEvent } from '../outbox/outbox-types.js';

/** Default time a device's offline verdict waits for evidence that the bus still works. */
export const DEFAULT_BUS_DOWN_WINDOW_MS = 30_000;

/**
 * Tells a dead device from a dead bus (ARCHITECTURE.md; protocol BusEvent): when every device
 * on a bus stops answering, that is ONE bus-down event, not N device-offline events.
 *
 * A device whose breaker opens is "pending" until the bus proves it works: another device
 * answers (→ device offline), every device on the bus is open (→ bus down, pendings dropped),
 * or `windowMs` passes with neither (→ device offline; devices that fail later still make the
 * bus down). A lost port or connection (transport state down) is bus down at once. A bus with
 * one device cannot tell the two apart: its device goes offline directly.
 * While the bus is down no device events are sent; when a device answers again the bus is up,
 * and devices still not answering then are announced offline.
 */
export class BusMonitor {
  readonly #devices = new Set<string>();
  readonly #open = new Set<string>();
  readonly #announced = new Set<string>();
  /** since: when the verdict became pending; afterBusUp: only the window resolves it. */
  readonly #pending = new Map<string, { since: number; afterBusUp: boolean }>();
  readonly #upListeners = new Set<() => void>();
  #busDown = false;
  #transportDown = false;

  constructor(
    readonly busId: string,
    private readonly windowMs = DEFAULT_BUS_DOWN_WINDOW_MS,
  ) {}

  /** Called when the bus comes back up (the poller probes its offline devices at once). */
  onUp(listener: () => void): () => void {
    this.#upListeners.add(listener);
    return () => this.#upListeners.delete(listener);
  }

  get isDown(): boolean {
    return this.#busDown;
  }

  setDevices(ids: Iterable<string>): void {
    this.#devices.clear();
    for (const id of ids) this.#devices.add(id);
    for (const set of [this.#open, this.#announced]) for (const id of set) if (!this.#devices.has(id)) set.delete(id);
    for (const id of this.#pending.keys()) if (!this.#devices.has(id)) this.#pending.delete(id);
  }

  /** The device's breaker opened (it stopped answering). */
  deviceOpened(id: string, now: number): NewEvent[] {
    this.#open.add(id);
    if (this.#busDown) return [];
    if (this.#devices.size >= 2 && [...this.#devices].every((d) => this.#open.has(d))) {
      this.#pending.clear();
      return this.#setDown(now, 'every device on the bus stopped answering');
    }
    if (this.#devices.size <= 1) return this.#announce([id], now);
    this.#pending.set(id, { since: now, afterBusUp: false });
    return [];
  }

  /** The device answered (data or an exception): its breaker is closed. */
  deviceAnswered(id: string, now: number): NewEvent[] {
    const events: NewEvent[] = [];
    this.#open.delete(id);
    this.#pending.delete(id);
    let cameUp = false;
    if (this.#busDown && !this.#transportDown) {
      this.#busDown = false;
      cameUp = true;
      events.push({ type: 'bus', ts: now, bus: this.busId, state: 'up' });
      // The others get a window to answer too: they recover at their next probe, not all at once.
      for (const d of this.#open) if (!this.#announced.has(d)) this.#pending.set(d, { since: now, afterBusUp: true });
    }
    if (!this.#busDown) {
      const proven = [...this.#pending].filter(([, p]) => !p.afterBusUp).map(([d]) => d);
      for (const d of proven) this.#pending.delete(d);
      events.push(...this.#announce(proven, now));
    }
    if (this.#announced.delete(id)) events.push({ type: 'device', ts: now, device: id, state: 'online' });
    if (cameUp) for (const listener of this.#upListeners) listener();
    return events;
  }

  transportState(state: BusState, now: number, reason?: string): NewEvent[] {
    if (state === 'down') {
      this.#transportDown = true;
      this.#pending.clear();
      return this.#busDown ? [] : this.#setDown(now, reason ?? 'transport down');
    }
    if (state !== 'up') return [];
    this.#transportDown = false;
    // Up again, but the devices have to prove it: the first answer brings the bus up.
    return [];
  }

  /** Pending verdicts whose window passed without evidence either way become device offline. */
  tick(now: number): NewEvent[] {
    if (this.#busDown) return [];
    const due = [...this.#pending].filter(([, p]) => now - p.since >= this.windowMs).map(([id]) => id);
    for (const id of due) this.#pending.delete(id);
    return this.#announce(due, now);
  }

  #setDown(now: number, reason: string): NewEvent[] {
    this.#busDown = true;
    return [{ type: 'bus', ts: now, bus: this.busId, state: 'down', reason }];
  }

  #announce(ids: string[], now: number): NewEvent[] {
    const events: NewEvent[] = [];
    for (const id of ids) {
      if (this.#announced.has(id)) continue;
      this.#announced.add(id);
      events.push({ type: 'device', ts: now, device: id, state: 'offline', reason: 'no answer' });
    }
    return events;
  }
}
