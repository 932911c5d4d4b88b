// Admin and engineer: the gateway's desired config version and what became of it (applied,
// pending, or rejected with the gateway's reason). As loaded: no live event reports it.
import { api } from '../../api/client.js';
import type { GatewayConfig } from '../../api/gateway-types.js';
import { actorName, formatTime } from '../../lib/format.js';
import { configOutcomeText } from '../../lib/gateway-commands.js';
import { useReconnect } from '../../live/hooks.js';
import { useLoad } from '../use-load.js';

export function GatewayConfigSection({ gateway }: { gateway: string }) {
  const loaded = useLoad(() => api<GatewayConfig>(`/gateways/${encodeURIComponent(gateway)}/config`), [gateway]);
  useReconnect(() => void loaded.reload());
  const config = loaded.data;
  const outcome = config === null ? null : configOutcomeText(config);
  return (
    <section class="site-section" aria-labelledby="gw-config-title">
      <h2 id="gw-config-title">Desired config</h2>
      {loaded.error !== null && <p role="alert">Could not load the desired config: {loaded.error}</p>}
      {config === null || outcome === null ? (
        loaded.error === null && <p role="status">Loading…</p>
      ) : (
        <>
          <p class={`config-outcome config-${outcome.kind}`}>{outcome.text}</p>
          {outcome.reason !== undefined && (
            <p class="config-reason">
              <span class="muted">Reason: </span>
              {outcome.reason}
            </p>
          )}
          <dl class="kv">
            <dt>Desired version</dt>
            <dd>{config.desired === null ? 'none' : config.desired.version}</dd>
            {config.desired !== null && (
              <>
                <dt>Stored</dt>
                <dd>
                  {formatTime(config.desired.createdAt)} by {actorName(config.desired.createdBy)}
                </dd>
              </>
            )}
            <dt>Reported version</dt>
            <dd>
              {config.reported.version === 0 ? 'none from the server (local gateway.yaml)' : config.reported.version}
              {config.reported.appliedAt !== null && <span class="note"> applied {formatTime(config.reported.appliedAt)}</span>}
            </dd>
          </dl>
          <div class="actions">
            <button type="button" class="link" onClick={() => void loaded.reload()}>
              Refresh config
            </button>
          </div>
        </>
      )}
    </section>
  );
}
