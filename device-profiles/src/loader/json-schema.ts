import * as z from 'zod';
import { Profile } from '../schema/index.js';

/**
 * The editors' JSON Schema, derived from the zod schema so the two cannot drift (STYLE.md:
 * validate once, derive the rest). `io: 'input'`: it describes what authors write, so fields
 * with defaults are optional.
 */
export function profileJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(Profile, { io: 'input' });
  const title = 'EdgeFleet device profile';
  return { $schema, title, description: 'One YAML file per device model; see docs/profiles.md', ...rest };
}

/** The exact text of device-profiles/profile.schema.json. */
export function profileJsonSchemaText(): string {
  return `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
}
