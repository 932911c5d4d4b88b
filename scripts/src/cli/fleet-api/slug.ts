import { usageError } from '../cli-error.js';

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** "Depot North (B3)" → "depot-north-b3", the way the server makes gateway ids from names. */
export function slugOf(name: string): string | undefined {
  const slug = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return SLUG.test(slug) ? slug : undefined;
}

/** The slug of `name`, or a usage error asking for `option`. */
export function slugOrUsage(name: string, option: string): string {
  const slug = slugOf(name);
  if (slug === undefined) throw usageError(`cannot make an id from the name "${name}"`, `give one with ${option}`);
  return slug;
}

/** An id given on the command line: checked here so the error names the option. */
export function parseId(text: string, option: string): string {
  if (!SLUG.test(text)) throw usageError(`${option} must be a lower-case slug (a-z, 0-9, "-", "_", at most 64), got "${text}"`);
  return text;
}
