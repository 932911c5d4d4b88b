import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/cli-error.js';
import { passwordChangeFromStdin, passwordFromStdin, promptHidden, type HiddenInput } from '../src/cli/fleet-api/read-password.js';

/** A stand-in terminal: records raw-mode switches; keys are pushed as the user would type them. */
function fakeTerminal(): { input: HiddenInput & PassThrough; output: PassThrough; rawModes: boolean[]; shown: () => string } {
  const rawModes: boolean[] = [];
  const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (mode: boolean) => rawModes.push(mode) });
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  return { input: terminal, output, rawModes, shown: () => text };
}

describe('promptHidden', () => {
  it('reads a line in raw mode, honours backspace and Ctrl-U, and echoes nothing', async () => {
    const t = fakeTerminal();
    const answer = promptHidden('Password: ', t.input, t.output);
    t.input.write('wrongX\u0015pass wor');
    t.input.write('dd\u007f\r');
    await expect(answer).resolves.toBe('pass word');
    expect(t.rawModes).toEqual([true, false]);
    expect(t.shown()).toBe('Password: \n');
  });

  it('cancels on Ctrl-C with exit code 6 and leaves raw mode', async () => {
    const t = fakeTerminal();
    const answer = promptHidden('Password: ', t.input, t.output);
    t.input.write('abc\u0003');
    await expect(answer).rejects.toMatchObject({ message: 'cancelled; nothing changed', exitCode: 6 });
    expect(t.rawModes).toEqual([true, false]);
  });
});

describe('passwordFromStdin', () => {
  it('takes one line without its line ending, keeping spaces', async () => {
    await expect(passwordFromStdin(Readable.from([' spaced passphrase \r\n']))).resolves.toBe(' spaced passphrase ');
  });

  it('refuses an empty stdin, a second line, a short password and a terminal', async () => {
    await expect(passwordFromStdin(Readable.from([]))).rejects.toThrow('--password-stdin: stdin is empty');
    await expect(passwordFromStdin(Readable.from(['long enough one\nand more\n']))).rejects.toThrow('more than one line');
    await expect(passwordFromStdin(Readable.from(['123456789\n']))).rejects.toThrow('password: must be at least 10 characters, got 9');
    await expect(passwordFromStdin(Readable.from(['x'.repeat(257)]))).rejects.toThrow('at most 256');
    const tty = Object.assign(Readable.from(['long enough one\n']), { isTTY: true });
    await expect(passwordFromStdin(tty)).rejects.toBeInstanceOf(CliError);
  });
});

describe('passwordChangeFromStdin', () => {
  it('takes the current password, then the new one; an empty first line means none yet', async () => {
    await expect(passwordChangeFromStdin(Readable.from(['old pass\r\nnew passphrase\n']))).resolves.toEqual({ current: 'old pass', next: 'new passphrase' });
    await expect(passwordChangeFromStdin(Readable.from(['\nnew passphrase']))).resolves.toEqual({ current: '', next: 'new passphrase' });
  });

  it('refuses one line, three lines and a short new password', async () => {
    await expect(passwordChangeFromStdin(Readable.from(['new passphrase\n']))).rejects.toThrow('expected two lines, the current password then the new one; got 1');
    await expect(passwordChangeFromStdin(Readable.from(['a\nb\nc\n']))).rejects.toThrow('got 3');
    await expect(passwordChangeFromStdin(Readable.from(['old pass\nshort\n']))).rejects.toThrow('password: must be at least 10 characters, got 5');
  });
});
