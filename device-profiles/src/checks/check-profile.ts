import type { Profile } from '../schema/index.js';
import { checkAlarmRules } from './alarm-rules.js';
import type { CheckIssue } from './check-issue.js';
import { checkCommands } from './commands.js';
import { checkPointFields } from './point-fields.js';
import { checkPointLayout } from './point-layout.js';
import { checkTransportMap } from './transport-map.js';
import { checkUniqueIds } from './unique-ids.js';

/**
 * The rules zod cannot express field by field: cross-field, cross-point and cross-section
 * consistency. Returns every issue (an empty array means the profile is sound).
 */
export function checkProfile(profile: Profile): CheckIssue[] {
  return [
    ...checkUniqueIds(profile),
    ...profile.points.flatMap((point, index) => checkPointFields(point, index)),
    ...checkTransportMap(profile),
    ...checkPointLayout(profile),
    ...checkAlarmRules(profile),
    ...checkCommands(profile),
  ];
}
