import type { Point, Profile } from '@edgefleet/device-profiles';
import { usageError } from '../cli-error.js';

/** The points named in "a,b,c" (all of the profile's when none), or a usage error naming the unknown one. */
export function selectPoints(profile: Profile, list: string | undefined): Point[] {
  if (list === undefined) return profile.points;
  return list
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .map((id) => requirePoint(profile, id));
}

export function requirePoint(profile: Profile, id: string | undefined, option = '--point'): Point {
  if (id === undefined) throw usageError(`${option} is required`, `see \`fleet profile show ${profile.id}\``);
  const point = profile.points.find((p) => p.id === id);
  if (!point) throw usageError(`profile ${profile.id} has no point "${id}"`, `its points: ${profile.points.map((p) => p.id).join(', ')}`);
  return point;
}
