import type { Command } from 'commander';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { ApiRefusal, type ApiClient } from '../fleet-api/api-client.js';
import { newestFirst, tokenKind, tokenRow, tokenState, tokenSummary, tokenWithState, type ApiToken } from '../fleet-api/api-token.js';
import { confirmOnTerminal } from '../fleet-api/confirm.js';
import { printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';
import { userCall } from '../fleet-api/user-refusals.js';

/** The server's token ids (fleet-server users-routes TokenParams). */
const TOKEN_ID = /^tok_[0-9a-f]{16}$/;

interface RevokeOptions extends ServerCliOptions {
  all?: string;
  yes?: boolean;
  json?: boolean;
}

/** What --json prints for each token revoked (or kept) by `fleet user revoke-token`. */
const brief = (t: ApiToken): { id: string; userId: string; kind: string; label: string } => ({ id: t.id, userId: t.userId, kind: tokenKind(t), label: t.label });

/** `fleet user tokens <id>` and `fleet user revoke-token <token-id> | --all <id>` (admin). */
export function registerUserTokenCommands(user: Command): void {
  addServerOptions(user
    .command('tokens')
    .description("List a user's tokens, newest first: API tokens and dashboard sign-ins (admin)")
    .argument('<id>', 'user id')
    .option('--json', 'print JSON'))
    .addHelpText('after', `
Dashboard sign-ins are tokens too: kind sign-in (label "dashboard sign-in"), 12 hours each.
LAST USED is to the minute. Revoke one with fleet user revoke-token <token-id>, or all that
still work with fleet user revoke-token --all <id>.
Example: fleet user tokens mona
Exit codes: 0 listed, 1 no such user, 2 bad option, 7 server unreachable, 8 not allowed (needs admin).`)
    .action(async (idText: string, opts: ServerCliOptions & { json?: boolean }) => {
      const id = parseId(idText, 'user id');
      const api = await apiClientFor(opts);
      const { items } = await userCall(id, () => api.get<{ items: ApiToken[] }>(`/users/${id}/tokens`));
      const now = Date.now();
      const sorted = [...items].sort(newestFirst);
      printListing(sorted.map((t) => tokenWithState(t, now)), opts, ['TOKEN', 'KIND', 'LABEL', 'CREATED', 'EXPIRES', 'LAST USED', 'STATE'],
        (t) => tokenRow(t, now), `user ${id} has no tokens`);
    });

  addServerOptions(user
    .command('revoke-token')
    .description("Revoke a token (API token or dashboard sign-in), or with --all every working token of a user (admin)")
    .argument('[token-id]', 'token id, e.g. tok_5f0c2a9be1d34c77 (fleet user tokens <id> lists them)')
    .option('--all <id>', 'revoke every token of this user that still works, e.g. after a lost phone')
    .option('--yes', 'with --all: do not ask for confirmation')
    .option('--json', 'print JSON'))
    .addHelpText('after', `
A revoked token is refused at once (its live event streams end). The token this command runs
with is never revoked by --all; by id it is, and you are logged out. --all leaves the password:
to keep the user out of the dashboard, also set a new one (fleet user password <id>).
Example: fleet user revoke-token tok_5f0c2a9be1d34c77
Example: fleet user revoke-token --all mona --yes
Exit codes: 0 revoked (--all: also when none was left), 1 no such token or user, or already revoked,
2 bad option, 6 declined, 7 server unreachable, 8 not allowed (needs admin).`)
    .action(async (tokenIdText: string | undefined, opts: RevokeOptions) => {
      if (opts.all !== undefined) {
        if (tokenIdText !== undefined) throw usageError(`give a token id or --all <user id>, not both (got ${tokenIdText} and --all ${opts.all})`);
        await revokeAll(parseId(opts.all, '--all'), opts);
        return;
      }
      if (tokenIdText === undefined) throw usageError('missing the token id', "give one (fleet user tokens <id> lists them), or --all <user id> for all of a user's tokens");
      if (!TOKEN_ID.test(tokenIdText)) throw usageError(`token id must look like tok_0123456789abcdef, got "${tokenIdText}"`, 'fleet user tokens <id> lists the ids');
      await revokeOne(tokenIdText, opts);
    });
}

/** GET /tokens/:id first: DELETE answers 204 for an already revoked token too, which would hide a mistake. */
async function revokeOne(id: string, opts: RevokeOptions): Promise<void> {
  const api = await apiClientFor(opts);
  const [token, me] = await Promise.all([readToken(api, id), myTokenId(api)]);
  const now = Date.now();
  if (token.revokedAt !== null) {
    throw new CliError(`token ${id} of user ${token.userId} (${tokenSummary(token, now)}) was already revoked at ${new Date(token.revokedAt).toISOString()}`,
      EXIT.failure, `fleet user tokens ${token.userId} shows which still work`);
  }
  await userCall(token.userId, () => api.request('DELETE', `/tokens/${id}`));
  printResult({ revoked: [brief(token)], kept: [] }, opts, () => revokedLine(token, now));
  if (id === me) process.stderr.write('note: that was the token this command ran with; log in again with another one (fleet login)\n');
}

async function revokeAll(userId: string, opts: RevokeOptions): Promise<void> {
  const api = await apiClientFor(opts);
  const [{ items }, me] = await Promise.all([userCall(userId, () => api.get<{ items: ApiToken[] }>(`/users/${userId}/tokens`)), myTokenId(api)]);
  const now = Date.now();
  const live = items.filter((t) => tokenState(t, now) === 'active').sort(newestFirst);
  // Revoking the caller's own token half-way would refuse the remaining DELETEs (401).
  const targets = live.filter((t) => t.id !== me);
  const kept = live.filter((t) => t.id === me);
  if (targets.length > 0 && opts.yes !== true) {
    const signIns = targets.filter((t) => tokenKind(t) === 'sign-in').length;
    await confirmOnTerminal(`Revoke ${targets.length} token(s) of user ${userId} (${targets.length - signIns} API, ${signIns} dashboard sign-in)? [y/N] `, 'revoke', 'revoked');
  }
  for (const t of targets) await userCall(userId, () => api.request('DELETE', `/tokens/${t.id}`));
  printResult({ revoked: targets.map(brief), kept: kept.map(brief) }, opts, () => [
    ...targets.map((t) => revokedLine(t, now)),
    ...kept.map((t) => `kept token ${t.id} of user ${userId} (${tokenSummary(t, now)}): the token this command runs with`),
    ...(live.length === 0 ? [`user ${userId} has no token that still works; nothing revoked`] : []),
  ].join('\n'));
}

const revokedLine = (t: ApiToken, now: number): string => `revoked token ${t.id} of user ${t.userId} (${tokenSummary(t, now)})`;

/** The token, or exit 1 naming the id: its NOT_FOUND is about a token, not a user. */
async function readToken(api: ApiClient, id: string): Promise<ApiToken> {
  try {
    return await userCall('', () => api.get<ApiToken>(`/tokens/${id}`));
  } catch (err) {
    if (err instanceof ApiRefusal && err.code === 'NOT_FOUND') throw new CliError(`token ${id} not found`, EXIT.failure, 'fleet user tokens <user id> lists the ids of a user\'s tokens');
    throw err;
  }
}

/** The id of the token this command runs with (GET /me), so it is not revoked by surprise. */
async function myTokenId(api: ApiClient): Promise<string> {
  return (await userCall('', () => api.get<{ tokenId: string }>('/me'))).tokenId;
}
