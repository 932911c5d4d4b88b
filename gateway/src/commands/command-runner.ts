import { decodePoint, enumLabel, pointSpan, protocolAddress, type PointValue, type Profile } from '@edgefleet/device-profiles';
import type { CommandRequest, CommandStatus, WireValue } from '@edgefleet/protocol';
import type { ModbusTransport } from '../modbus/modbus-transport.js';
import { encodeWrite, needsCurrentWords } from './encode-write.js';
import { resolveWrites, type PlannedWrite, type ResolvedCommand } from './resolve-writes.js';

export interface CommandOutcome {
  status: CommandStatus;
  reason?: string;
  readBack?: Record<string, WireValue>;
}

export interface CommandTarget {
  unit: number;
  profile: Profile;
  timeoutMs: number;
}

export interface CommandRunnerDeps {
  /** The device's unit and profile, or undefined when the gateway has no such device. */
  target(deviceId: string): CommandTarget | undefined;
  /** Runs fn on the device's bus in the command lane (ahead of all polling). */
  run<T>(deviceId: string, fn: (transport: ModbusTransport) => Promise<T>): Promise<T>;
  now(): number;
  sleep(ms: number): Promise<void>;
  parseDuration(text: string): number;
  /** Pause between confirmation reads. */
  confirmPollMs?: number;
}

/**
 * Runs a command request: checks it against the profile, writes in order in the command lane,
 * then reads the confirm point back until it shows the device obeyed (or the timeout passes).
 * Never throws: every failure becomes a result with a reason.
 */
export class CommandRunner {
  constructor(private readonly deps: CommandRunnerDeps) {}

  async execute(cmd: CommandRequest): Promise<CommandOutcome> {
    if (cmd.expiresAt <= this.deps.now()) return { status: 'expired', reason: `expired at ${new Date(cmd.expiresAt).toISOString()}` };
    const target = this.deps.target(cmd.device);
    if (!target) return { status: 'rejected', reason: `no device "${cmd.device}" on this gateway` };
    const resolution = resolveWrites(cmd, target.profile, this.deps.parseDuration);
    if (!resolution.ok) return { status: 'rejected', reason: resolution.reason };
    try {
      await this.write(cmd.device, target, resolution.command.writes);
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string };
      // A value the codec refuses (range, type, label) is the request's fault, not the device's.
      if (e.name === 'CodecError') return { status: 'rejected', reason: e.message ?? String(err) };
      return { status: 'failed', reason: `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}` };
    }
    return this.confirm(cmd.device, target, resolution.command);
  }

  private async write(deviceId: string, target: CommandTarget, writes: readonly PlannedWrite[]): Promise<void> {
    const { profile, unit, timeoutMs } = target;
    for (const { point, value } of writes) {
      // One transaction per run(): the scheduler keeps the t3.5 silence between jobs, not inside one.
      const current = needsCurrentWords(point)
        ? await this.deps.run(deviceId, (t) => t.read(unit, point.table, protocolAddress(point, profile.transport), pointSpan(point), timeoutMs))
        : undefined;
      const encoded = encodeWrite(point, value, profile.transport, current);
      await this.deps.run(deviceId, (t) =>
        encoded.kind === 'coils'
          ? t.writeCoils(unit, encoded.address, encoded.bits, timeoutMs, encoded.fc)
          : t.writeRegisters(unit, encoded.address, encoded.words, timeoutMs, encoded.fc),
      );
    }
  }

  private async confirm(deviceId: string, target: CommandTarget, command: ResolvedCommand): Promise<CommandOutcome> {
    const confirm = command.confirm;
    if (!confirm) return { status: 'ok' };
    const { profile, unit, timeoutMs } = target;
    const deadline = this.deps.now() + confirm.timeoutMs;
    let last: PointValue | undefined;
    for (;;) {
      try {
        const raw = await this.deps.run(deviceId, (t) =>
          t.read(unit, confirm.point.table, protocolAddress(confirm.point, profile.transport), pointSpan(confirm.point), timeoutMs),
        );
        last = decodePoint(confirm.point, raw, profile.transport);
        if (confirm.equals === undefined || sameValue(confirm.point, last, confirm.equals)) {
          return { status: 'ok', readBack: { [confirm.point.id]: last } };
        }
      } catch {
        // A failed read-back is retried until the deadline; the writes themselves succeeded.
      }
      if (this.deps.now() >= deadline) break;
      await this.deps.sleep(this.deps.confirmPollMs ?? 250);
    }
    const shown = last === undefined ? 'no answer' : describe(confirm.point, last);
    return {
      status: 'not-confirmed',
      reason: `${confirm.point.id} is ${shown}, expected ${String(confirm.equals)}`,
      ...(last !== undefined ? { readBack: { [confirm.point.id]: last } } : {}),
    };
  }
}

function sameValue(point: Parameters<typeof enumLabel>[0], actual: PointValue, expected: PointValue): boolean {
  if (actual === expected) return true;
  if (typeof expected === 'string') return enumLabel(point, actual) === expected;
  if (typeof actual === 'number' && typeof expected === 'number') return Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected));
  return false;
}

function describe(point: Parameters<typeof enumLabel>[0], value: PointValue): string {
  const label = enumLabel(point, value);
  return label === undefined ? JSON.stringify(value) : `${label} (${String(value)})`;
}
