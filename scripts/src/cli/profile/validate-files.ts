import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ProfileError, findDuplicateIds, parseProfileSource } from '@edgefleet/device-profiles';
import type { ProfileIssue, SourcedProfile } from '@edgefleet/device-profiles';

export interface ValidationReport {
  /** One line per file that passed, one line per issue of a file that failed; in argument order. */
  lines: string[];
  checked: number;
  failed: number;
}

/**
 * Validates profile files (a directory stands for its *.yaml / *.yml files), then the ids across
 * all of them. Every issue of every file is reported; nothing stops at the first.
 */
export function validateProfileFiles(args: readonly string[]): ValidationReport {
  const files = args.flatMap(expandArgument);
  const results = files.map((file) => validateOne(file));
  const parsed = results.flatMap((result) => (result.profile ? [result.profile] : []));
  for (const issue of findDuplicateIds(parsed)) results.find((result) => result.file === issue.file)?.issues.push(issue);

  const lines: string[] = [];
  for (const { file, profile, issues } of results) {
    if (issues.length > 0) lines.push(...issues.map(formatIssueLine));
    else if (profile) lines.push(`ok  ${file} (${summarise(profile)})`);
  }
  return { lines, checked: files.length, failed: results.filter((result) => result.issues.length > 0).length };
}

interface FileResult {
  file: string;
  profile?: SourcedProfile;
  issues: ProfileIssue[];
}

function validateOne(file: string): FileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { file, issues: [{ file, line: 0, column: 0, path: '', message: `cannot read: ${reason}` }] };
  }
  try {
    return { file, profile: { file, ...parseProfileSource(text, file) }, issues: [] };
  } catch (err) {
    if (err instanceof ProfileError) return { file, issues: [...err.issues] };
    throw err;
  }
}

function expandArgument(arg: string): string[] {
  let isDir = false;
  try {
    isDir = statSync(arg).isDirectory();
  } catch {
    return [arg]; // let validateOne report the unreadable path
  }
  if (!isDir) return [arg];
  return readdirSync(arg)
    .filter((name) => extname(name) === '.yaml' || extname(name) === '.yml')
    .sort()
    .map((name) => join(arg, name));
}

function summarise({ profile }: SourcedProfile): string {
  const { points, alarms, commands } = profile;
  return `${profile.id} v${profile.version}, ${points.length} points, ${alarms.length} alarms, ${commands.length} commands`;
}

/** `file:line:col  path  message`: terminals and editors turn the location into a link. */
function formatIssueLine(issue: ProfileIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return [where, issue.path, issue.message].filter((part) => part !== '').join('  ');
}
