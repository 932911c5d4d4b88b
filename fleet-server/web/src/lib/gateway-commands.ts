// A gateway's recent commands and its desired config outcome, in words for its page. No DOM
// here, so it is unit-tested in node.
import type { CommandRecord, GatewayConfig } from '../api/gateway-types.js';

/** "set-flash", "preempt-request (phase 2, duration 30)", "write mode = 2". */
export function commandLabel(request: CommandRecord['request']): string {
  if (request.write !== undefined) return `write ${request.write.point} = ${JSON.stringify(request.write.value)}`;
  const name = request.command ?? 'command';
  const params = Object.entries(request.params ?? {});
  return params.length === 0 ? name : `${name} (${params.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')})`;
}

/** The state as a person reads it; `unanswered` is the server's verdict, which a late result may still replace. */
export function commandStateText(state: CommandRecord['state']): string {
  switch (state) {
    case 'ok':
      return 'succeeded';
    case 'pending':
      return 'pending';
    case 'unanswered':
      return 'unanswered (no result before it expired)';
    case 'not-confirmed':
      return 'not confirmed';
    default:
      return state;
  }
}

/** Insert or replace one command (from a live `command` event), newest created first, at most `max`. */
export function upsertCommand(list: readonly CommandRecord[], cmd: CommandRecord, max: number): CommandRecord[] {
  const current = list.find((c) => c.id === cmd.id);
  // A result event carries completedAt; an older copy (the POST's 'pending') must not undo it.
  if (current !== undefined && current.state !== 'pending' && cmd.state === 'pending') return [...list];
  const rest = list.filter((c) => c.id !== cmd.id);
  return [cmd, ...rest].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)).slice(0, max);
}

const running = (version: number): string => (version === 0 ? 'its local gateway.yaml' : `version ${version}`);

export interface OutcomeText {
  /** applied | pending | rejected | none */
  kind: 'applied' | 'pending' | 'rejected' | 'none';
  text: string;
  reason?: string;
}

/** The desired config's outcome in one line, and the rejection's reason apart. */
export function configOutcomeText(config: GatewayConfig): OutcomeText {
  const { outcome, reported } = config;
  if (outcome === null) {
    return { kind: 'none', text: `No desired config stored: the gateway runs ${running(reported.version)}.` };
  }
  switch (outcome.state) {
    case 'applied':
      return { kind: 'applied', text: `Version ${outcome.version} applied` };
    case 'pending':
      return { kind: 'pending', text: `Version ${outcome.version} pending: the gateway has not reported it yet` };
    case 'rejected':
      return { kind: 'rejected', text: `Version ${outcome.version} rejected; the gateway runs ${running(reported.version)}`, reason: outcome.reason };
  }
}
