import type { CommandResult, GatewayEvent } from '@edgefleet/protocol';

/**
 * A command result travels in the gateway's event stream (its seq is an event seq), so it is
 * stored as a notice event: deduplicated like any event and visible in the event history.
 */
export function commandResultEvent(result: CommandResult): GatewayEvent {
  const details: Record<string, unknown> = { id: result.id, status: result.status };
  if (result.reason !== undefined) details['reason'] = result.reason;
  if (result.readBack !== undefined) details['readBack'] = result.readBack;
  return {
    type: 'notice',
    seq: result.seq,
    ts: result.ts,
    level: result.status === 'ok' ? 'info' : 'warn',
    code: 'COMMAND_RESULT',
    message: `command ${result.id} on ${result.device}: ${result.status}${result.reason === undefined ? '' : ` (${result.reason})`}`,
    device: result.device,
    details,
  };
}
