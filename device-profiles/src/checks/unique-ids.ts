import type { Profile } from '../schema/index.js';
import type { CheckIssue } from './check-issue.js';

/** Point, alarm and command ids are each unique within the profile: they key readings and events. */
export function checkUniqueIds(profile: Profile): CheckIssue[] {
  return [
    ...findDuplicates('points', profile.points, 'point'),
    ...findDuplicates('alarms', profile.alarms, 'alarm'),
    ...findDuplicates('commands', profile.commands, 'command'),
  ];
}

function findDuplicates(list: string, items: readonly { id: string }[], what: string): CheckIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: CheckIssue[] = [];
  items.forEach((item, index) => {
    const first = firstIndex.get(item.id);
    if (first === undefined) firstIndex.set(item.id, index);
    else issues.push({ path: [list, index, 'id'], message: `duplicate ${what} id "${item.id}" (first used by ${list}[${first}])` });
  });
  return issues;
}
