import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { profileJsonSchemaFile, profileJsonSchemaText } from '@edgefleet/device-profiles';
import { CliError } from '../cli-error.js';
import { formatProfileDetails, formatProfileList, profileListJson } from '../profile/describe-profile.js';
import { loadRegistry } from '../profile/load-registry.js';
import { registerProfileNewCommand } from './profile-new.js';
import { validateProfileFiles } from '../profile/validate-files.js';

interface DirOptions {
  dir?: string[];
  json?: boolean;
}

/** `fleet profile ...` — validate, list and show device profiles; emit the editors' JSON Schema. */
export function registerProfileCommands(program: Command): void {
  const profile = program.command('profile').description('Validate, list and show device profiles');

  profile
    .command('validate')
    .description('Validate profile files (a directory means its *.yaml files); exit 1 if any fails')
    .argument('<file...>', 'profile YAML files or directories')
    .action((files: string[]) => {
      const report = validateProfileFiles(files);
      write(report.lines.join('\n') + '\n');
      if (report.failed > 0) throw new CliError(`${report.failed} of ${report.checked} profile files failed validation`);
    });

  profile
    .command('list')
    .description('List profiles: the built-in ones plus any in --dir')
    .option('--dir <dir...>', 'extra profile directories besides the built-in ones')
    .option('--json', 'print JSON instead of a table')
    .action((opts: DirOptions) => {
      const profiles = loadRegistry(opts.dir).list();
      write(opts.json ? json(profileListJson(profiles)) : formatProfileList(profiles));
    });

  profile
    .command('show')
    .description('Show one profile: identity, transport, points, alarms and commands')
    .argument('<id>', 'profile id (see `fleet profile list`)')
    .option('--dir <dir...>', 'extra profile directories besides the built-in ones')
    .option('--json', 'print the validated profile (defaults applied) as JSON')
    .action((id: string, opts: DirOptions) => {
      const registry = loadRegistry(opts.dir);
      if (!registry.has(id)) throw new CliError(`unknown profile "${id}"; known profiles: ${registry.ids().join(', ')}`);
      const found = registry.get(id);
      write(opts.json ? json(found) : formatProfileDetails(found));
    });

  profile
    .command('json-schema')
    .description('Print the JSON Schema of profile files (--write: update device-profiles/profile.schema.json)')
    .option('--write', 'write the committed schema file instead of printing')
    .action((opts: { write?: boolean }) => {
      if (!opts.write) return write(profileJsonSchemaText());
      const file = profileJsonSchemaFile();
      writeFileSync(file, profileJsonSchemaText());
      write(`wrote ${relative(process.cwd(), file) || file}\n`);
    });

  registerProfileNewCommand(profile);
}

function write(text: string): void {
  process.stdout.write(text);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
