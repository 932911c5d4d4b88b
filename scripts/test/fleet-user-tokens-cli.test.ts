import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, startUserCliServer, type UserCliServer } from './cli/user-cli-server.js';

// `fleet user tokens` and `fleet user revoke-token` (docs/cli.md "fleet user ..."): the real
// binary, as a child process, against a real fleet server with a SQLite store in a temp dir.

let stack: UserCliServer;

interface TokenJson { id: string; userId: string; label: string; createdAt: number; expiresAt: number | null; revokedAt: number | null; lastUsedAt: number | null; kind: string; state: string }

const status = async (token: string): Promise<number> => (await stack.apiCall('GET', '/me', { token })).status;

/** An API token issued the way an admin does, through the API; its id and text. */
async function issue(user: string, label: string, ttl?: string): Promise<{ id: string; token: string }> {
  const reply = await stack.apiCall('POST', `/users/${user}/tokens`, { token: stack.adminToken, body: { label, ...(ttl === undefined ? {} : { ttl }) } });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; token: string };
}

async function signIn(user: string, password: string): Promise<{ token: string; tokenId: string }> {
  const reply = await stack.signIn(user, password);
  expect(reply.status).toBe(201);
  return reply.body as { token: string; tokenId: string };
}

async function tokensJson(user: string): Promise<TokenJson[]> {
  const run = await stack.fleet(['user', 'tokens', user, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as TokenJson[];
}

const MINUTE = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\dZ`;

beforeAll(async () => {
  stack = await startUserCliServer('fleet-user-tokens-cli-');
  const admin = { token: stack.adminToken };
  expect((await stack.apiCall('POST', '/sites', { ...admin, body: { id: 'north', name: 'North' } })).status).toBe(201);
  expect((await stack.apiCall('POST', '/users', { ...admin, body: { id: 'mona', name: 'Mona Berg', role: 'manager', sites: ['north'], password: 'correct horse battery' } })).status).toBe(201);
  expect((await stack.apiCall('POST', '/users', { ...admin, body: { id: 'ivo', name: 'Ivo Kranz', role: 'engineer' } })).status).toBe(201);
  expect((await stack.apiCall('POST', '/users', { ...admin, body: { id: 'ops', name: 'Ops', role: 'admin' } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('fleet user tokens', () => {
  it("lists a user's API tokens and dashboard sign-ins newest first, told apart by kind", async () => {
    const laptop = await issue('mona', 'office laptop', '90d');
    const session = await signIn('mona', 'correct horse battery');
    expect(await status(session.token)).toBe(200);

    const run = await stack.fleet(['user', 'tokens', 'mona']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual([
      expect.stringMatching(/^TOKEN\s+KIND\s+LABEL\s+CREATED\s+EXPIRES\s+LAST USED\s+STATE$/),
      expect.stringMatching(new RegExp(`^${session.tokenId}\\s+sign-in\\s+dashboard sign-in\\s+${MINUTE}\\s+${MINUTE}\\s+\\d+s ago\\s+active$`)),
      expect.stringMatching(new RegExp(`^${laptop.id}\\s+api\\s+office laptop\\s+${MINUTE}\\s+${MINUTE}\\s+never\\s+active$`)),
    ]);

    const json = await tokensJson('mona');
    expect(json.map((t) => [t.id, t.kind, t.state])).toEqual([[session.tokenId, 'sign-in', 'active'], [laptop.id, 'api', 'active']]);
    expect(json[0]?.createdAt).toBeGreaterThanOrEqual(json[1]?.createdAt ?? Infinity);
    expect(json[0]?.lastUsedAt).toEqual(expect.any(Number));
    // Never the text or hash.
    expect(JSON.stringify(json)).not.toContain(laptop.token);
    expect(Object.keys(json[1] ?? {}).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'kind', 'label', 'lastUsedAt', 'revokedAt', 'state', 'userId']);
  }, 60_000);

  it('says so for a user without tokens, and names an unknown user', async () => {
    const none = await stack.fleet(['user', 'tokens', 'ivo']);
    expect(none.code, none.stderr).toBe(0);
    expect(lines(none.stdout)).toEqual(['user ivo has no tokens']);
    const unknown = await stack.fleet(['user', 'tokens', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(['fleet: user nobody not found (hint: fleet user list shows the users)']);
  }, 60_000);
});

describe('fleet user revoke-token', () => {
  it('revokes one token, which the API then refuses; a second revoke and an unknown id are exit 1', async () => {
    const spare = await issue('ivo', 'spare key');
    expect(await status(spare.token)).toBe(200);
    const run = await stack.fleet(['user', 'revoke-token', spare.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual([expect.stringMatching(new RegExp(`^revoked token ${spare.id} of user ivo \\(api token "spare key", last used \\d+s ago\\)$`))]);
    expect(await status(spare.token)).toBe(401);
    expect((await tokensJson('ivo')).find((t) => t.id === spare.id)).toMatchObject({ state: 'revoked', revokedAt: expect.any(Number) });
    expect(lines((await stack.fleet(['user', 'tokens', 'ivo'])).stdout)[1]).toMatch(new RegExp(`^${spare.id}\\s+api\\s+spare key\\s+${MINUTE}\\s+never\\s+\\d+s ago\\s+revoked ${MINUTE}$`));

    const again = await stack.fleet(['user', 'revoke-token', spare.id]);
    expect(again.code).toBe(1);
    expect(lines(again.stderr)).toEqual([expect.stringMatching(new RegExp(
      `^fleet: token ${spare.id} of user ivo \\(api token "spare key", last used \\d+s ago\\) was already revoked at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(hint: fleet user tokens ivo shows which still work\\)$`))]);

    const unknown = await stack.fleet(['user', 'revoke-token', 'tok_0123456789abcdef']);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(["fleet: token tok_0123456789abcdef not found (hint: fleet user tokens <user id> lists the ids of a user's tokens)"]);
  }, 60_000);

  it('refuses a malformed id, no id, and an id with --all before asking the server (exit 2)', async () => {
    const bad = await stack.fleet(['user', 'revoke-token', 'ef_notanid']);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual(['fleet: token id must look like tok_0123456789abcdef, got "ef_notanid" (hint: fleet user tokens <id> lists the ids)']);
    const none = await stack.fleet(['user', 'revoke-token']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('fleet: missing the token id');
    const both = await stack.fleet(['user', 'revoke-token', 'tok_0123456789abcdef', '--all', 'ivo']);
    expect(both.code).toBe(2);
    expect(lines(both.stderr)).toEqual(['fleet: give a token id or --all <user id>, not both (got tok_0123456789abcdef and --all ivo)']);
  }, 60_000);

  it("a non-admin can neither list another user's (or their own) tokens nor revoke one", async () => {
    const session = await signIn('mona', 'correct horse battery');
    const victim = await issue('ivo', 'ci');
    const refusal = 'fleet: needs role admin; you are manager (hint: users and tokens need an admin token: fleet login --server URL with one)';
    for (const args of [['user', 'tokens', 'ivo'], ['user', 'tokens', 'mona'], ['user', 'revoke-token', victim.id], ['user', 'revoke-token', '--all', 'ivo', '--yes']]) {
      const run = await stack.fleet(args, { token: session.token });
      expect(run.code, args.join(' ')).toBe(8);
      expect(lines(run.stderr), args.join(' ')).toEqual([refusal]);
      expect(run.stdout).toBe('');
    }
    expect(await status(victim.token)).toBe(200);
  }, 60_000);

  it('--all revokes every working token of a user, sign-ins too, after asking; again, there is none left', async () => {
    const phone = await issue('mona', 'phone');
    const session = await signIn('mona', 'correct horse battery');
    const live = (await tokensJson('mona')).filter((t) => t.state === 'active');
    expect(live.length).toBeGreaterThanOrEqual(3);

    const unconfirmed = await stack.fleet(['user', 'revoke-token', '--all', 'mona']);
    expect(unconfirmed.code).toBe(6);
    expect(lines(unconfirmed.stderr)).toEqual(['fleet: refusing to revoke without confirmation: stdin is not a terminal (hint: pass --yes in scripts)']);
    expect(await status(phone.token)).toBe(200);

    const run = await stack.fleet(['user', 'revoke-token', '--all', 'mona', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { revoked: { id: string; userId: string; kind: string; label: string }[]; kept: unknown[] };
    expect(out.kept).toEqual([]);
    expect(out.revoked.map((t) => t.id).sort()).toEqual(live.map((t) => t.id).sort());
    expect(out.revoked).toContainEqual({ id: session.tokenId, userId: 'mona', kind: 'sign-in', label: 'dashboard sign-in' });
    expect(out.revoked).toContainEqual({ id: phone.id, userId: 'mona', kind: 'api', label: 'phone' });
    expect(await status(phone.token)).toBe(401);
    expect(await status(session.token)).toBe(401);
    expect((await tokensJson('mona')).every((t) => t.state === 'revoked')).toBe(true);

    const again = await stack.fleet(['user', 'revoke-token', '--all', 'mona', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(lines(again.stdout)).toEqual(['user mona has no token that still works; nothing revoked']);
  }, 60_000);

  it('--all keeps the token the command runs with; revoking that one by id logs you out, with a note', async () => {
    const mine = await issue('ops', 'ops laptop');
    const other = await issue('ops', 'ops ci');
    const run = await stack.fleet(['user', 'revoke-token', '--all', 'ops', '--yes'], { token: mine.token });
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual([
      `revoked token ${other.id} of user ops (api token "ops ci", never used)`,
      expect.stringMatching(new RegExp(`^kept token ${mine.id} of user ops \\(api token "ops laptop", last used \\d+s ago\\): the token this command runs with$`)),
    ]);
    expect(await status(other.token)).toBe(401);
    expect(await status(mine.token)).toBe(200);

    const self = await stack.fleet(['user', 'revoke-token', mine.id], { token: mine.token });
    expect(self.code, self.stderr).toBe(0);
    expect(lines(self.stderr)).toEqual(['note: that was the token this command ran with; log in again with another one (fleet login)']);
    expect(await status(mine.token)).toBe(401);
  }, 60_000);
});
