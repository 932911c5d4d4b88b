// Admin and engineer: the gateway's most recent commands (GET /gateways/:id/commands), newest
// first — what, to which device, its state (the server's 'unanswered' included), by whom, when,
// and the result's reason. Live `command` events add new ones and complete pending ones.
import { api } from '../../api/client.js';
import type { CommandRecord } from '../../api/gateway-types.js';
import type { LiveEvent } from '../../api/types.js';
import { actorName, formatTime } from '../../lib/format.js';
import { commandLabel, commandStateText, upsertCommand } from '../../lib/gateway-commands.js';
import { href } from '../../lib/router.js';
import { useReconnect } from '../../live/hooks.js';
import { useLoad } from '../use-load.js';

const SHOWN = 20;

export function GatewayCommands({ gateway }: { gateway: string }) {
  const loaded = useLoad<CommandRecord[]>(
    async () => (await api<{ items: CommandRecord[] }>(`/gateways/${encodeURIComponent(gateway)}/commands?limit=${SHOWN}`)).items,
    [gateway],
    {
      accepts: (e: LiveEvent) => e.type === 'command' && e.data.command.gateway === gateway,
      // A command event's command is GET /commands/:id, the same shape as the list's items.
      apply: (list, e) => (e.type === 'command' ? upsertCommand(list, e.data.command as CommandRecord, SHOWN) : list),
    },
  );
  useReconnect(() => void loaded.reload());
  const list = loaded.data;
  return (
    <section class="site-section" aria-labelledby="gw-commands-title">
      <h2 id="gw-commands-title">Recent commands</h2>
      {loaded.error !== null && <p role="alert">Could not load the commands: {loaded.error}</p>}
      {list === null ? (
        loaded.error === null && <p role="status">Loading…</p>
      ) : list.length === 0 ? (
        <p>No commands sent to this gateway.</p>
      ) : (
        <ul class="commands" aria-labelledby="gw-commands-title">
          {list.map((c) => (
            <li key={c.id} class={`command cmd-${c.state}`}>
              <span class="cmd-what">
                <strong>{commandLabel(c.request)}</strong> to <a href={href.device(c.gateway, c.device)}>{c.device}</a>
              </span>
              : <span class="cmd-state">{commandStateText(c.state)}</span>
              {c.result?.reason !== undefined && <span class="cmd-reason"> ({c.result.reason})</span>}
              <span class="muted cmd-who">
                {' '}
                — by {actorName(c.createdBy)}, {formatTime(c.createdAt)}
                {c.completedAt !== null && `, done ${formatTime(c.completedAt)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
