import { CommandResult, GatewayEvent, Reading, WIRE_VERSION } from '@edgefleet/protocol';
import type { EventBatch, TelemetryBatch } from '@edgefleet/protocol';
import type { OutboxRow, Stream } from '../outbox/outbox-types.js';
import { uplinkTopic } from './uplink-topics.js';

/** One MQTT message built from outbox rows of ONE stream. */
export interface OutgoingMessage {
  stream: Stream;
  channel: 'telemetry' | 'events' | 'cmd-result';
  topic: string;
  payload: string;
  /** Rows on the wire. */
  items: number;
}

/** A row the wire schema refuses: sending it would make the server drop the whole batch. */
export interface InvalidRow {
  stream: Stream;
  seq: number;
  reason: string;
}

/**
 * What a run of rows becomes: at most one message, plus the rows left out as invalid. `seqs`
 * covers both, so all of them leave the outbox on the message's PUBACK (or at once when there
 * is no message): an invalid row would otherwise block nothing but be re-sent forever.
 */
export interface BuiltMessage {
  stream: Stream;
  seqs: number[];
  message?: OutgoingMessage;
  invalid: InvalidRow[];
}

/** Who assigned the rows' seqs: the gateway and its outbox file's epoch (docs/mqtt-topics.md). */
export interface RowSource {
  gateway: string;
  epoch: number;
}

const isCommandResultRow = (row: OutboxRow<'events'>): boolean => row.item.type === 'cmd-result';

/**
 * The prefix of `rows` (oldest first) that goes out as one message: a command result alone
 * (it has its own topic and schema), otherwise every event up to the next command result.
 * Taking a prefix keeps the event stream's order across the two topics.
 */
export function takeEventRun(rows: readonly OutboxRow<'events'>[]): OutboxRow<'events'>[] {
  const first = rows[0];
  if (first === undefined) return [];
  if (isCommandResultRow(first)) return [first];
  const end = rows.findIndex(isCommandResultRow);
  return end === -1 ? [...rows] : rows.slice(0, end);
}

function reasonOf(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** A TelemetryBatch of the rows that pass the Reading schema. */
export function buildTelemetryMessage(source: RowSource, rows: readonly OutboxRow<'telemetry'>[], sentAt: number): BuiltMessage {
  const items: Reading[] = [];
  const invalid: InvalidRow[] = [];
  for (const row of rows) {
    const parsed = Reading.safeParse({ seq: row.seq, ...row.item });
    if (parsed.success) items.push(parsed.data);
    else invalid.push({ stream: 'telemetry', seq: row.seq, reason: reasonOf(parsed.error.issues) });
  }
  const seqs = rows.map((r) => r.seq);
  if (items.length === 0) return { stream: 'telemetry', seqs, invalid };
  const batch: TelemetryBatch = { v: WIRE_VERSION, gateway: source.gateway, stream: 'telemetry', epoch: source.epoch, sentAt, items };
  const payload = JSON.stringify(batch);
  return { stream: 'telemetry', seqs, invalid, message: { stream: 'telemetry', channel: 'telemetry', topic: uplinkTopic(source.gateway, 'telemetry'), payload, items: items.length } };
}

/** An EventBatch of event rows (no command results: see takeEventRun) that pass the schema. */
export function buildEventMessage(source: RowSource, rows: readonly OutboxRow<'events'>[], sentAt: number): BuiltMessage {
  const items: GatewayEvent[] = [];
  const invalid: InvalidRow[] = [];
  for (const row of rows) {
    const parsed = GatewayEvent.safeParse({ seq: row.seq, ...row.item });
    if (parsed.success) items.push(parsed.data);
    else invalid.push({ stream: 'events', seq: row.seq, reason: reasonOf(parsed.error.issues) });
  }
  const seqs = rows.map((r) => r.seq);
  if (items.length === 0) return { stream: 'events', seqs, invalid };
  const batch: EventBatch = { v: WIRE_VERSION, gateway: source.gateway, stream: 'events', epoch: source.epoch, sentAt, items };
  return { stream: 'events', seqs, invalid, message: { stream: 'events', channel: 'events', topic: uplinkTopic(source.gateway, 'events'), payload: JSON.stringify(batch), items: items.length } };
}

/** A single CommandResult for a cmd-result row; its seq is the row's event seq. */
export function buildCommandResultMessage(source: RowSource, row: OutboxRow<'events'>): BuiltMessage {
  const seqs = [row.seq];
  if (row.item.type !== 'cmd-result') {
    return { stream: 'events', seqs, invalid: [{ stream: 'events', seq: row.seq, reason: `expected a cmd-result row, got type "${row.item.type}"` }] };
  }
  const parsed = CommandResult.safeParse({ ...row.item.result, v: WIRE_VERSION, gateway: source.gateway, stream: 'events', epoch: source.epoch, seq: row.seq });
  if (!parsed.success) return { stream: 'events', seqs, invalid: [{ stream: 'events', seq: row.seq, reason: reasonOf(parsed.error.issues) }] };
  return { stream: 'events', seqs, invalid: [], message: { stream: 'events', channel: 'cmd-result', topic: uplinkTopic(source.gateway, 'cmd-result'), payload: JSON.stringify(parsed.data), items: 1 } };
}

/** The next message from a run of event rows chosen by takeEventRun. */
export function buildEventRunMessage(source: RowSource, run: readonly OutboxRow<'events'>[], sentAt: number): BuiltMessage {
  const first = run[0];
  if (first !== undefined && run.length === 1 && isCommandResultRow(first)) return buildCommandResultMessage(source, first);
  return buildEventMessage(source, run, sentAt);
}
