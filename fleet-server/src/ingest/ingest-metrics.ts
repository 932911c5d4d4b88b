import type { Counter, Histogram, MetricsRegistry } from '../metrics/metrics-registry.js';

export interface IngestMetrics {
  messages: Counter;
  rejects: Counter;
  stored: Counter;
  duplicates: Counter;
  seconds: Histogram;
}

/** The ingest's series on the server's registry (names follow Prometheus' base-unit convention). */
export function createIngestMetrics(registry: MetricsRegistry): IngestMetrics {
  return {
    messages: registry.counter('edgefleet_ingest_messages_total', 'Uplink MQTT messages received, by gateway and channel'),
    rejects: registry.counter('edgefleet_ingest_rejects_total', 'Uplink messages dropped, by gateway, channel and reason'),
    stored: registry.counter('edgefleet_ingest_items_stored_total', 'Telemetry readings and events newly stored, by gateway and stream'),
    duplicates: registry.counter('edgefleet_ingest_items_duplicate_total', 'Items already stored (same gateway, stream, outbox epoch, seq), by gateway and stream'),
    seconds: registry.histogram('edgefleet_ingest_seconds', 'Time to validate and store one uplink message', [
      0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1,
    ]),
  };
}
