import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileJsonSchema, profileJsonSchemaFile, profileJsonSchemaText } from '../../src/index.js';

describe('profile.schema.json', () => {
  it('is the committed copy of the schema generated from zod', () => {
    const committed = readFileSync(profileJsonSchemaFile(), 'utf8');
    // On failure: the zod schema changed; regenerate with `npm run schema` and commit the file.
    expect(committed === profileJsonSchemaText(), 'device-profiles/profile.schema.json is out of date: run `npm run schema`').toBe(true);
  });

  it('describes what authors write: defaulted fields are optional, unknown keys are refused', () => {
    const schema = profileJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'id', 'vendor', 'model', 'family', 'source', 'points']));
    expect(schema.required).not.toContain('alarms');
    expect(schema.required).not.toContain('transport');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain('identification');
  });
});
