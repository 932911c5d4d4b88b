import type { Command } from 'commander';
import { printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { slugOrUsage } from '../fleet-api/slug.js';

interface Site {
  id: string;
  name: string;
  timezone: string;
}

interface CreateOptions extends ServerCliOptions {
  name: string;
  id?: string;
  timezone?: string;
  json?: boolean;
}

/** `fleet site create|list` — the sites of the fleet (each with its contacts, gateways and time zone). */
export function registerSiteCommands(program: Command): void {
  const site = program.command('site').description('Create and list sites (a building or car park with its own contacts and time zone)');

  addServerOptions(site
    .command('create')
    .description('Create a site')
    .requiredOption('--name <name>', 'name for people, e.g. "Depot North"')
    .option('--id <id>', 'slug (a-z, 0-9, -, _); default: the name as a slug')
    .option('--timezone <zone>', 'IANA time zone for quiet hours and escalation, e.g. Europe/Berlin (default UTC)')
    .option('--json', 'print the created site as JSON'))
    .addHelpText('after', '\nExample: fleet site create --name "Depot North" --timezone Europe/Berlin\nExit codes: 0 created, 1 exists already, 2 bad option, 7 server unreachable, 8 not allowed.')
    .action(async (opts: CreateOptions) => {
      const id = opts.id ?? slugOrUsage(opts.name, '--id');
      const api = await apiClientFor(opts);
      const created = await api.post<Site>('/sites', { id, name: opts.name, ...(opts.timezone === undefined ? {} : { timezone: opts.timezone }) });
      printResult(created, opts, () => `site ${created.id} created (${created.name}, ${created.timezone})`);
    });

  addServerOptions(site
    .command('list')
    .description('List the sites you may see')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExit codes: 0 listed, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ServerCliOptions & { json?: boolean }) => {
      const { items } = await (await apiClientFor(opts)).get<{ items: Site[] }>('/sites');
      printListing(items, opts, ['SITE', 'NAME', 'TIMEZONE'], (s) => [s.id, s.name, s.timezone], 'no sites');
    });
}

