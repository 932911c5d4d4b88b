import { ago } from './print.js';

/** A token as GET /users/:id/tokens and GET /tokens/:id answer it (docs/api.md "Users and tokens"). */
export interface ApiToken {
  id: string;
  userId: string;
  label: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/**
 * The label the server gives a dashboard sign-in (fleet-server session-routes SESSION_LABEL). The
 * API tells sign-ins apart by nothing else, and the server itself goes by it when a password
 * change ends the user's sign-ins, so the CLI calls a token a sign-in exactly when the server does.
 */
export const SIGN_IN_LABEL = 'dashboard sign-in';

export type TokenKind = 'sign-in' | 'api';
/** active: authenticates now; expired and revoked ones never will again. */
export type TokenState = 'active' | 'expired' | 'revoked';

export const tokenKind = (t: ApiToken): TokenKind => (t.label === SIGN_IN_LABEL ? 'sign-in' : 'api');

export function tokenState(t: ApiToken, now: number): TokenState {
  if (t.revokedAt !== null) return 'revoked';
  return t.expiresAt !== null && t.expiresAt <= now ? 'expired' : 'active';
}

/** The API's token plus what the CLI derives, for --json. */
export const tokenWithState = (t: ApiToken, now: number): ApiToken & { kind: TokenKind; state: TokenState } => ({ ...t, kind: tokenKind(t), state: tokenState(t, now) });

/** Newest first; the id breaks ties of one millisecond so the order is stable. */
export const newestFirst = (a: ApiToken, b: ApiToken): number => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** "2026-11-28T10:31Z": minutes are enough for a person, and a cell without spaces suits awk. */
export const minuteText = (ts: number): string => `${new Date(ts).toISOString().slice(0, 16)}Z`;

/** `api token "office laptop", last used 3m ago` / `dashboard sign-in, never used`. */
export function tokenSummary(t: ApiToken, now: number): string {
  const what = tokenKind(t) === 'sign-in' ? 'dashboard sign-in' : `api token "${t.label}"`;
  return `${what}, ${t.lastUsedAt === null ? 'never used' : `last used ${ago(t.lastUsedAt, now)}`}`;
}

/** A row of `fleet user tokens`: TOKEN KIND LABEL CREATED EXPIRES LAST-USED STATE. */
export function tokenRow(t: ApiToken, now: number): string[] {
  const state = tokenState(t, now);
  return [
    t.id, tokenKind(t), t.label, minuteText(t.createdAt), t.expiresAt === null ? 'never' : minuteText(t.expiresAt),
    ago(t.lastUsedAt, now), state === 'revoked' && t.revokedAt !== null ? `revoked ${minuteText(t.revokedAt)}` : state,
  ];
}
