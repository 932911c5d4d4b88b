import { ApiRefusal } from './api-client.js';

/** The command-line option that sets a field of POST /users or POST /users/:id/tokens. */
const OPTION_OF_FIELD: Record<string, string> = {
  id: 'the <id> argument (a lower-case slug)',
  name: '--name',
  role: '--role',
  sites: '--site <id> (once per site)',
  password: '--password-stdin or --password-prompt',
  currentPassword: 'the first line of --password-stdin (or at the prompt)',
  label: '--label',
  ttl: '--ttl (e.g. 90d, 12h, 30m)',
};

/**
 * The server's own message stays (it names the field and the role needed); only the hint is
 * made to fit the user commands, since the generic ones talk about engineers and tokens.
 */
export function userRefusal(err: unknown, userId: string): unknown {
  if (!(err instanceof ApiRefusal)) return err;
  const hint = hintFor(err, userId);
  return hint === undefined ? err : new ApiRefusal(err.message, err.exitCode, hint, err.status, err.code);
}

/** Runs one API call of a user command; a refusal gets a hint that fits the user commands. */
export async function userCall<T>(userId: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw userRefusal(err, userId);
  }
}

function hintFor(err: ApiRefusal, userId: string): string | undefined {
  switch (err.code) {
    case 'FORBIDDEN':
      return err.message.startsWith('only an admin')
        ? 'without an admin token you may set only your own password'
        : 'users and tokens need an admin token: fleet login --server URL with one';
    case 'CONFLICT':
      return /already exists/.test(err.message) ? `fleet user list shows the users; set a password with fleet user password ${userId}` : err.hint;
    case 'UNAUTHENTICATED':
      return err.message === 'current password is wrong' ? 'nothing changed; give the password you sign in to the dashboard with' : err.hint;
    case 'NOT_FOUND':
      return 'fleet user list shows the users';
    case 'INVALID_REQUEST': {
      const field = /^(?:body|params)\.([A-Za-z]+)/.exec(err.message)?.[1];
      if (field === 'sites' && /unknown site/.test(err.message)) return 'fleet site list shows the sites';
      const option = field === undefined ? undefined : OPTION_OF_FIELD[field];
      return option === undefined ? err.hint : `set with ${option}`;
    }
    default:
      return err.hint;
  }
}
