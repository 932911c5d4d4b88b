import { EventEmitter } from 'node:events';
import type { Aedes, AedesPublishPacket } from 'aedes';
import { parseTopic } from '@edgefleet/protocol';
import type { Stream } from '../../src/outbox/outbox-types.js';

/** One uplink message as the broker accepted it: the stream seqs it carried, in order. */
export interface Delivery {
  broker: number;
  channel: 'telemetry' | 'events' | 'cmd-result';
  stream: Stream;
  seqs: number[];
  /** Telemetry only: seq → value, to check content as well as presence. */
  values?: Map<number, unknown>;
}

/**
 * Records, in-process, every telemetry/events/cmd-result message a broker routes, before it
 * PUBACKs (aedes emits to in-process subscribers and only then acknowledges), so what a
 * PUBACK confirmed is always recorded, even when the broker is torn down right after.
 * Emits 'delivery' after each record.
 */
export class DeliveryRecorder extends EventEmitter {
  readonly deliveries: Delivery[] = [];
  private readonly maxSeq: Record<Stream, number> = { events: 0, telemetry: 0 };

  attach(broker: Aedes, brokerNo: number, gatewayId: string): Promise<void> {
    return new Promise((resolve) => broker.subscribe(`fleet/v1/gw/${gatewayId}/#`, (packet, done) => {
      this.record(packet, brokerNo);
      done();
    }, resolve));
  }

  highest(stream: Stream): number {
    return this.maxSeq[stream];
  }

  /** Seqs of a stream in first-arrival order, and how many arrivals were repeats. */
  firstArrivals(stream: Stream): { order: number[]; duplicates: number } {
    const seen = new Set<number>();
    const order: number[] = [];
    let duplicates = 0;
    for (const d of this.deliveries) {
      if (d.stream !== stream) continue;
      for (const seq of d.seqs) {
        if (seen.has(seq)) duplicates += 1;
        else {
          seen.add(seq);
          order.push(seq);
        }
      }
    }
    return { order, duplicates };
  }

  private record(packet: AedesPublishPacket, brokerNo: number): void {
    const channel = parseTopic(packet.topic)?.channel;
    if (channel !== 'telemetry' && channel !== 'events' && channel !== 'cmd-result') return;
    const body = JSON.parse(packet.payload.toString()) as { items?: { seq: number; value?: unknown }[]; seq?: number };
    const seqs = body.items?.map((i) => i.seq) ?? (body.seq === undefined ? [] : [body.seq]);
    const stream: Stream = channel === 'telemetry' ? 'telemetry' : 'events';
    const delivery: Delivery = { broker: brokerNo, channel, stream, seqs };
    if (channel === 'telemetry') delivery.values = new Map(body.items?.map((i) => [i.seq, i.value]));
    this.deliveries.push(delivery);
    this.maxSeq[stream] = Math.max(this.maxSeq[stream], ...seqs);
    this.emit('delivery');
  }
}
