import type { RunningBroker } from '../broker/start-broker.js';
import type { MetricsRegistry } from './metrics-registry.js';

/** Registers the broker's gauges and returns the function that refreshes them before a scrape. */
export function registerBrokerMetrics(registry: MetricsRegistry, broker: RunningBroker): () => void {
  const connected = registry.gauge('edgefleet_mqtt_connected_clients', 'MQTT clients connected now');
  const refused = registry.gauge('edgefleet_mqtt_refused_connects', 'MQTT connections refused since start, by reason');
  const denied = registry.gauge('edgefleet_mqtt_denied_total_since_start', 'Publishes and subscribes denied by the ACL since start');
  const clientErrors = registry.gauge('edgefleet_mqtt_client_errors', 'MQTT client errors since start, by gateway');
  return () => {
    const stats = broker.stats();
    connected.set(broker.broker.connectedClients);
    for (const [reason, n] of Object.entries(stats.refusedConnects)) refused.set(n, { reason });
    denied.set(stats.deniedPublishes, { kind: 'publish' });
    denied.set(stats.deniedSubscribes, { kind: 'subscribe' });
    for (const [gateway, n] of stats.clientErrors) clientErrors.set(n, { gateway });
  };
}
