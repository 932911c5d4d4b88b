import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';

// docs/cli.md "Provisioning and fleet operations" shows each command's --help verbatim (the same
// <!-- help: fleet ... --> blocks as cli-docs.test.ts checks for the on-the-bus commands).
const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
const DOC = fileURLToPath(new URL('../../docs/cli.md', import.meta.url));
const COMMANDS = [
  'login', 'site create', 'site list', 'contact add', 'contact list', 'user add', 'user list', 'user password', 'user remove', 'user token', 'user tokens', 'user revoke-token', 'gateway provision', 'gateway enroll', 'gateway list',
  'bus add', 'bus list', 'device add', 'device remove', 'device list', 'status', 'alerts', 'alerts ack', 'cmd send',
];

function documentedHelp(doc: string, command: string): string | undefined {
  const marker = `<!-- help: fleet ${command} -->\n\`\`\`text\n`;
  const start = doc.indexOf(marker);
  if (start < 0) return undefined;
  const from = start + marker.length;
  return doc.slice(from, doc.indexOf('\n```', from));
}

describe('docs/cli.md: provisioning and fleet operations', () => {
  it.concurrent.each(COMMANDS)('shows the real `fleet %s --help`', async (command) => {
    // A pipe, not a terminal: commander wraps at 80 columns, as in the doc.
    const { stdout } = await run(process.execPath, [FLEET, ...command.split(' '), '--help'], { env: { ...process.env, COLUMNS: '' } });
    const doc = await readFile(DOC, 'utf8');
    expect(documentedHelp(doc, command), `docs/cli.md has no help block for fleet ${command}`).toBe(stdout.trimEnd());
  }, 120_000);

  it('lists every server command above, and each has an example or exit codes in its help', () => {
    const program = buildProgram();
    const leaf = (path: string) => path.split(' ').reduce((cmd, name) => cmd.commands.find((c) => c.name() === name) ?? cmd, program);
    for (const command of COMMANDS) {
      const cmd = leaf(command);
      expect(cmd.name(), command).toBe(command.split(' ').at(-1));
      // Every server command can print JSON for scripts, and says where it finds its server.
      const flags = cmd.options.map((o) => o.long);
      if (command !== 'gateway enroll' && command !== 'login') expect(flags, command).toEqual(expect.arrayContaining(['--json', '--server', '--token']));
    }
  });
});
