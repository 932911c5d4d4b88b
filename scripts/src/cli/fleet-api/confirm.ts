import { createInterface } from 'node:readline/promises';
import { CliError, EXIT } from '../cli-error.js';

/**
 * Asks `question` on the terminal; anything but y/yes declines (exit 6). Like the write
 * confirmation, a script without a terminal must say --yes. `verb`/`done`: "remove"/"removed".
 */
export async function confirmOnTerminal(question: string, verb: string, done: string): Promise<void> {
  if (!process.stdin.isTTY) throw new CliError(`refusing to ${verb} without confirmation: stdin is not a terminal`, EXIT.declined, 'pass --yes in scripts');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (!/^y(es)?$/i.test((await rl.question(question)).trim())) throw new CliError(`not ${done}`, EXIT.declined);
  } finally {
    rl.close();
  }
}
