import { CliError, EXIT, usageError } from '../cli-error.js';

/** The server's rule (docs/api.md "Sign-in"): checked here so a short one costs no request. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** The password or a usage error; never echoes the password itself. */
export function checkPassword(password: string): string {
  if (password.length < PASSWORD_MIN) throw usageError(`password: must be at least ${PASSWORD_MIN} characters, got ${password.length}`, 'a passphrase of a few words is easy to type and hard to guess');
  if (password.length > PASSWORD_MAX) throw usageError(`password: must be at most ${PASSWORD_MAX} characters, got ${password.length}`);
  return password;
}

/** All of stdin, its last line ending dropped; refused on a terminal or when empty. */
async function readStdin(input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (input.isTTY === true) throw usageError('--password-stdin needs the password piped in, but stdin is a terminal', 'leave out --password-stdin to be asked for it without echo');
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw usageError('--password-stdin: stdin is empty', 'pipe the password in: fleet user ... --password-stdin < file');
  return text;
}

/**
 * One line piped on stdin (`--password-stdin`): the line ending is dropped, nothing else (spaces
 * may be part of a passphrase). A second line is refused rather than guessed at.
 */
export async function passwordFromStdin(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<string> {
  const text = await readStdin(input);
  if (/[\r\n]/.test(text)) throw usageError('--password-stdin: stdin holds more than one line', 'pipe only the password, on one line');
  return checkPassword(text);
}

/**
 * Two lines piped on stdin: the current password, then the new one (a non-admin changing their
 * own). The current one may be an empty line when the user has none yet.
 */
export async function passwordChangeFromStdin(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<{ current: string; next: string }> {
  const lines = (await readStdin(input)).split(/\r?\n/);
  if (lines.length !== 2) throw usageError(`--password-stdin: expected two lines, the current password then the new one; got ${lines.length}`, 'changing your own password needs the current one first');
  const [current, next] = lines as [string, string];
  return { current, next: checkPassword(next) };
}

/** What promptHidden needs of a terminal (process.stdin on a TTY; a fake in tests). */
export interface HiddenInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
}

/**
 * Asks on `output` and reads one line from the terminal in raw mode, so nothing is echoed.
 * Backspace deletes a character, Ctrl-U the line; Ctrl-C or Ctrl-D on an empty line cancels
 * (raw mode turns off the terminal's own SIGINT, so it is handled here).
 */
export function promptHidden(question: string, input: HiddenInput, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  // Raw (no echo) before the question shows, so nothing typed after seeing it can be echoed.
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  output.write(question);
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string | Buffer): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || (ch === '\u0004' && chars.length > 0)) {
          finish();
          resolve(chars.join(''));
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new CliError('cancelled; nothing changed', EXIT.declined));
          return;
        }
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else if (ch === '\u0015') chars = [];
        else if (ch >= ' ') chars.push(ch);
      }
    };
    input.on('data', onData);
  });
}

/** Asks twice without echo (a typo would lock the user out of the dashboard) and checks the rule. */
export async function promptNewPassword(who: string, input: HiddenInput = process.stdin as HiddenInput, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  if (input.isTTY !== true) throw usageError('no terminal to ask for the password on', 'pipe it in with --password-stdin');
  const first = checkPassword(await promptHidden(`New password for ${who}: `, input, output));
  const again = await promptHidden('Again: ', input, output);
  if (again !== first) throw usageError('the two passwords differ; nothing changed');
  return first;
}

/** The current password, asked once without echo; empty (just Enter) when the user has none yet. */
export function promptCurrentPassword(who: string, input: HiddenInput = process.stdin as HiddenInput, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  if (input.isTTY !== true) throw usageError('no terminal to ask for the password on', 'pipe it in with --password-stdin');
  return promptHidden(`Current password for ${who}: `, input, output);
}
