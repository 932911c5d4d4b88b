import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId, slugOrUsage } from '../fleet-api/slug.js';

interface Contact {
  id: string;
  site: string;
  name: string;
  phone: string;
  role: string;
  escalationOrder: number;
}

interface AddOptions extends ServerCliOptions {
  site: string;
  name: string;
  phone: string;
  role?: string;
  order?: string;
  id?: string;
  json?: boolean;
}

/** ITU-T E.164: "+", country code, at most 15 digits (the server checks the same). */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Checked before the server is asked, so a typo costs no round trip and the hint can show the fix. */
export function parsePhone(text: string): string {
  const phone = text.trim();
  if (E164.test(phone)) return phone;
  const digits = phone.replace(/[\s()./-]/g, '');
  const hint = E164.test(digits) ? `without spaces or punctuation: ${digits}` : 'E.164 is "+", the country code, then the number without its leading 0, e.g. +4915112345678';
  throw usageError(`--phone must be an E.164 number such as +4915112345678, got "${text}"`, hint);
}

/** `fleet contact add|list` — who is texted when a site's alert escalates, in order. */
export function registerContactCommands(program: Command): void {
  const contact = program.command('contact').description("Add and list a site's contacts (texted in escalation order)");

  addServerOptions(contact
    .command('add')
    .description('Add a contact to a site')
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--name <name>', 'name, e.g. "Ann Berger"')
    .requiredOption('--phone <e164>', 'mobile number in E.164, e.g. +4915112345678')
    .option('--role <role>', 'role, e.g. caretaker or technician (default technician)')
    .option('--order <n>', 'escalation order, 1 = texted first (default 1)')
    .option('--id <id>', 'contact id (default: <site>-<name as a slug>)')
    .option('--json', 'print the created contact as JSON'))
    .addHelpText('after', '\nExample: fleet contact add --site depot-north --name "Ann Berger" --phone +4915112345678 --role caretaker --order 1\nExit codes: 0 added, 1 exists already, 2 bad option (e.g. a phone number not in E.164), 7 server unreachable, 8 not allowed.')
    .action(async (opts: AddOptions) => {
      const site = parseId(opts.site, '--site');
      const phone = parsePhone(opts.phone);
      const order = opts.order === undefined ? undefined : Number(opts.order);
      if (order !== undefined && !(Number.isInteger(order) && order >= 1 && order <= 100)) throw usageError(`--order must be a whole number 1..100, got "${opts.order ?? ''}"`);
      const id = opts.id === undefined ? `${site}-${slugOrUsage(opts.name, '--id')}`.slice(0, 64) : parseId(opts.id, '--id');
      const api = await apiClientFor(opts);
      const created = await api.post<Contact>(`/sites/${site}/contacts`, {
        id, name: opts.name, phone, ...(opts.role === undefined ? {} : { role: opts.role }), ...(order === undefined ? {} : { escalationOrder: order }),
      });
      printResult(created, opts, () => `contact ${created.id} added to site ${created.site}: ${created.name}, ${created.phone}, ${created.role}, escalation order ${created.escalationOrder}`);
    });

  addServerOptions(contact
    .command('list')
    .description("List a site's contacts in escalation order")
    .requiredOption('--site <id>', 'site id')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExit codes: 0 listed, 1 no such site, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ServerCliOptions & { site: string; json?: boolean }) => {
      const site = parseId(opts.site, '--site');
      const { items } = await (await apiClientFor(opts)).get<{ items: Contact[] }>(`/sites/${site}/contacts`);
      printListing(items, opts, ['ORDER', 'CONTACT', 'NAME', 'PHONE', 'ROLE'], (c) => [String(c.escalationOrder), c.id, c.name, c.phone, c.role], `no contacts on site ${site}`);
    });
}
