import { CliError, EXIT, usageError } from '../cli-error.js';
import type { ApiClient } from './api-client.js';
import { startSpinner } from './spinner.js';

/** The gateway's answer to a desired-config version (fleet-server downlink/config-states.ts). */
export type ConfigOutcome =
  | { state: 'applied'; version: number; appliedAt: number | null }
  | { state: 'rejected'; version: number; reason: string; ts: number }
  | { state: 'pending'; version: number };

export interface PushReply {
  desired: { version: number };
  outcome: ConfigOutcome;
}

/** The server holds a request at most 60 s for a gateway (wait-query.ts MAX_WAIT_MS). */
const MAX_WAIT_MS = 60_000;

/** --wait: "30s", "1m", "500ms"; at most 60s. */
export function parseWait(text: string): string {
  const match = /^(\d+)(ms|s|m)$/.exec(text);
  const ms = match ? Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm']) : NaN;
  if (!(ms >= 1 && ms <= MAX_WAIT_MS)) throw usageError(`--wait must be a duration from 1ms to 60s, e.g. 30s, got "${text}"`);
  return text;
}

const waitMsOf = (wait: string): number => {
  const [, n, unit] = /^(\d+)(ms|s|m)$/.exec(wait) ?? [];
  return Number(n) * (unit === 'ms' ? 1 : unit === 'm' ? 60_000 : 1000);
};

/**
 * Sends a desired-config change with ?wait= and a spinner (on a terminal), and turns the
 * gateway's answer into the outcome: applied returns, rejected and still-pending throw with their
 * own exit codes so scripts can tell them apart.
 */
export async function pushAndWait(
  api: ApiClient, gateway: string, method: string, route: string, body: unknown, wait: string, what: string, headers: Record<string, string> = {},
): Promise<PushReply> {
  const spinner = startSpinner(`${what}: waiting for gateway ${gateway} to apply it`);
  let reply: PushReply;
  try {
    const sep = route.includes('?') ? '&' : '?';
    reply = (await api.request<PushReply>(method, `${route}${sep}wait=${wait}`, body, { waitMs: waitMsOf(wait), accept: [202], headers })).body;
  } finally {
    spinner.stop();
  }
  const { outcome } = reply;
  if (outcome.state === 'rejected') {
    throw new CliError(`gateway ${gateway} rejected config v${outcome.version} (${what}): ${outcome.reason}`, EXIT.rejected,
      'the gateway keeps running its previous config; fix the cause and try again');
  }
  if (outcome.state === 'pending') {
    throw new CliError(`gateway ${gateway} has not reported config v${outcome.version} (${what}) within ${wait}; it stays pending and applies when the gateway picks it up`,
      EXIT.pending, `is the gateway online? fleet status; then fleet device list --gateway ${gateway}`);
  }
  return reply;
}
