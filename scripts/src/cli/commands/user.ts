import { Option, type Command } from 'commander';
import type { ApiClient } from '../fleet-api/api-client.js';
import { confirmOnTerminal } from '../fleet-api/confirm.js';
import { printListing, printResult } from '../fleet-api/print.js';
import { passwordChangeFromStdin, passwordFromStdin, promptCurrentPassword, promptNewPassword } from '../fleet-api/read-password.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';
import { userCall as call } from '../fleet-api/user-refusals.js';
import { registerUserTokenCommands } from './user-tokens.js';

interface User {
  id: string;
  name: string;
  role: 'admin' | 'engineer' | 'manager';
  sites: string[];
  createdAt: number;
}

interface IssuedToken {
  id: string;
  userId: string;
  label: string;
  expiresAt: number | null;
  token: string;
}

interface PasswordOptions {
  passwordStdin?: boolean;
  passwordPrompt?: boolean;
}

interface AddOptions extends ServerCliOptions, PasswordOptions {
  name: string;
  role: User['role'];
  site?: string[];
  json?: boolean;
}

const JSON_OPTION = ['--json', 'print JSON'] as const;
const STDIN_HELP = 'read the password from stdin (one line), e.g. piped from a password manager';

/** "manager of north, south" / "engineer (every site)". */
const roleText = (u: User): string => (u.role === 'manager' ? `manager of ${u.sites.join(', ')}` : `${u.role} (every site)`);

/** `fleet user add|list|password|remove|token|tokens|revoke-token` — people, their API tokens and dashboard passwords (admin). */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Add, list and remove users; set dashboard passwords; issue, list and revoke API tokens (admin)');

  addServerOptions(user
    .command('add')
    .description('Create a user, optionally with a password for the dashboard')
    .argument('<id>', 'user id: a lower-case slug, e.g. mona (what they sign in with)')
    .requiredOption('--name <name>', 'name for people, e.g. "Mona Berg"')
    .addOption(new Option('--role <role>', 'what the user may do (docs/api.md "Roles")').choices(['admin', 'engineer', 'manager']).makeOptionMandatory())
    .option('--site <id>', 'a site a manager may see; repeat for more (managers only)', (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .addOption(new Option('--password-stdin', STDIN_HELP).conflicts('passwordPrompt'))
    .option('--password-prompt', 'ask for the password twice, without echo')
    .option(...JSON_OPTION))
    .addHelpText('after', `
Without a password option the user can use API tokens (fleet user token) but not sign in to the
dashboard until one is set (fleet user password). Passwords are 10..256 characters and never
taken as an argument, so they stay out of the shell history and ps.
Example: fleet user add mona --name "Mona Berg" --role manager --site depot-north --password-prompt
Exit codes: 0 created, 1 exists already, 2 bad option, 6 cancelled, 7 server unreachable, 8 not allowed.`)
    .action(async (idText: string, opts: AddOptions) => {
      const id = parseId(idText, 'user id');
      const sites = (opts.site ?? []).map((s) => parseId(s, '--site'));
      const api = await apiClientFor(opts);
      const password = await newPassword(id, opts);
      const created = await call(id, () => api.post<User>('/users', { id, name: opts.name, role: opts.role, sites, ...(password === undefined ? {} : { password }) }));
      printResult(created, opts, () => `user ${created.id} created: ${created.name}, ${roleText(created)}; ${password === undefined
        ? `no dashboard password (set one with fleet user password ${created.id})`
        : 'may sign in to the dashboard with the password given'}`);
    });

  addServerOptions(user
    .command('list')
    .description('List the users')
    .option(...JSON_OPTION))
    .addHelpText('after', '\nExit codes: 0 listed, 7 server unreachable, 8 not allowed (needs admin).')
    .action(async (opts: ServerCliOptions & { json?: boolean }) => {
      const api = await apiClientFor(opts);
      const { items } = await call('', () => api.get<{ items: User[] }>('/users'));
      printListing(items, opts, ['USER', 'NAME', 'ROLE', 'SITES', 'CREATED'],
        (u) => [u.id, u.name, u.role, u.role === 'manager' ? u.sites.join(',') : '(all)', new Date(u.createdAt).toISOString().slice(0, 10)], 'no users');
    });

  addServerOptions(user
    .command('password')
    .description("Set a user's dashboard password (an admin for anyone, anyone for themself)")
    .argument('<id>', 'user id')
    .option('--password-stdin', 'read the password from stdin: one line, or two (current, then new) for a non-admin changing their own')
    .option(...JSON_OPTION))
    .addHelpText('after', `
Asks twice without echo on a terminal; in scripts pipe it with --password-stdin. A non-admin
changing their own password is first asked for the current one (an empty line if they have none
yet); with --password-stdin pipe two lines: the current password, then the new one. The old
password stops working at once and the user's other dashboard sign-ins end; API tokens stay valid.
Example: fleet user password mona
Exit codes: 0 set, 1 no such user, 2 bad option or too short, 6 cancelled, 7 server unreachable,
8 not allowed or wrong current password.`)
    .action(async (idText: string, opts: ServerCliOptions & { passwordStdin?: boolean; json?: boolean }) => {
      const id = parseId(idText, 'user id');
      const api = await apiClientFor(opts);
      const body = await passwordChange(api, id, opts.passwordStdin === true);
      await call(id, () => api.request('PUT', `/users/${id}/password`, body));
      printResult({ user: id, passwordSet: true }, opts, () => `password of user ${id} set; the old one no longer signs in`);
    });

  addServerOptions(user
    .command('remove')
    .description('Remove a user and revoke all of their tokens')
    .argument('<id>', 'user id')
    .option('--yes', 'do not ask for confirmation')
    .option(...JSON_OPTION))
    .addHelpText('after', `
Example: fleet user remove mona --yes
Exit codes: 0 removed, 1 no such user or your own user, 6 declined, 7 server unreachable, 8 not allowed.`)
    .action(async (idText: string, opts: ServerCliOptions & { yes?: boolean; json?: boolean }) => {
      const id = parseId(idText, 'user id');
      const api = await apiClientFor(opts);
      const found = await call(id, () => api.get<User>(`/users/${id}`));
      if (opts.yes !== true) await confirmOnTerminal(`Remove user ${id} (${found.name}, ${roleText(found)}) and revoke all of their tokens? [y/N] `, 'remove', 'removed');
      await call(id, () => api.request('DELETE', `/users/${id}`));
      printResult({ removed: id }, opts, () => `user ${id} removed; their tokens are revoked`);
    });

  addServerOptions(user
    .command('token')
    .description('Issue an API token for a user (shown once)')
    .argument('<id>', 'user id')
    .option('--label <text>', 'what the token is for, e.g. "office laptop" (default "api")')
    .option('--ttl <duration>', 'expires after, e.g. 90d, 12h, 30m (default: never, until revoked)')
    .option(...JSON_OPTION))
    .addHelpText('after', `
The server keeps only a hash of the token: copy it now. fleet user tokens <id> lists a user's
tokens; fleet user revoke-token <token-id> revokes one.
Example: fleet user token mona --label "office laptop" --ttl 90d
Exit codes: 0 issued, 1 no such user, 2 bad option, 7 server unreachable, 8 not allowed.`)
    .action(async (idText: string, opts: ServerCliOptions & { label?: string; ttl?: string; json?: boolean }) => {
      const id = parseId(idText, 'user id');
      const api = await apiClientFor(opts);
      const issued = await issueToken(api, id, opts);
      printResult(issued, opts, () => `token ${issued.id} for user ${id} (label "${issued.label}", ${issued.expiresAt === null ? 'never expires' : `expires ${new Date(issued.expiresAt).toISOString()}`}):\n  ${issued.token}`);
      process.stderr.write('warning: copy the token now; it is not shown again (the server keeps only its hash)\n');
    });

  registerUserTokenCommands(user);
}

function issueToken(api: ApiClient, id: string, opts: { label?: string; ttl?: string }): Promise<IssuedToken> {
  const body = { ...(opts.label === undefined ? {} : { label: opts.label }), ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }) };
  return call(id, () => api.post<IssuedToken>(`/users/${id}/tokens`, body));
}

/**
 * The body of PUT /users/:id/password. The server wants the current password when a non-admin
 * changes their own (a stolen token alone must not take it over), so /me decides whether to ask.
 */
async function passwordChange(api: ApiClient, id: string, fromStdin: boolean): Promise<{ password: string; currentPassword?: string }> {
  const me = await call(id, () => api.get<{ user: User }>('/me'));
  if (me.user.id !== id || me.user.role === 'admin') return { password: fromStdin ? await passwordFromStdin() : await promptNewPassword(id) };
  const { current, next } = fromStdin ? await passwordChangeFromStdin() : { current: await promptCurrentPassword(id), next: await promptNewPassword(id) };
  // An empty current password: the user has none yet (the server then asks for none).
  return current === '' ? { password: next } : { password: next, currentPassword: current };
}

/** The password of `fleet user add`, or undefined when the user gets none. */
function newPassword(id: string, opts: PasswordOptions): Promise<string | undefined> {
  if (opts.passwordStdin === true) return passwordFromStdin();
  if (opts.passwordPrompt === true) return promptNewPassword(id);
  return Promise.resolve(undefined);
}
