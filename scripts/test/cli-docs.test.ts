import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/cli-error.js';

// docs/cli.md shows each on-the-bus command's --help verbatim; this keeps the two from drifting.
const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
const DOC = fileURLToPath(new URL('../../docs/cli.md', import.meta.url));
const COMMANDS = ['scan', 'read', 'write', 'decode', 'profile new'];

function documentedHelp(doc: string, command: string): string | undefined {
  const marker = `<!-- help: fleet ${command} -->\n\`\`\`text\n`;
  const start = doc.indexOf(marker);
  if (start < 0) return undefined;
  const from = start + marker.length;
  return doc.slice(from, doc.indexOf('\n```', from));
}

describe('docs/cli.md', () => {
  it.concurrent.each(COMMANDS)('shows the real `fleet %s --help`', async (command) => {
    // A pipe, not a terminal: commander wraps at 80 columns, as in the doc.
    const { stdout } = await run(process.execPath, [FLEET, ...command.split(' '), '--help'], { env: { ...process.env, COLUMNS: '' } });
    const doc = await readFile(DOC, 'utf8');
    expect(documentedHelp(doc, command), `docs/cli.md has no help block for fleet ${command}`).toBe(stdout.trimEnd());
  }, 120_000);

  it('lists every exit code the on-the-bus commands use', async () => {
    const doc = await readFile(DOC, 'utf8');
    const codes = [EXIT.ok, EXIT.failure, EXIT.usage, EXIT.bus, EXIT.noResponse, EXIT.device, EXIT.declined];
    for (const code of codes) expect(doc).toMatch(new RegExp(`^\\| ${code} \\| `, 'm'));
  });
});
