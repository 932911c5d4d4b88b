import { describe, expect, it } from 'vitest';
import { ProfileError, formatPath, parseProfile } from '../../src/index.js';
import { profileYaml } from './profile-text.js';

function issuesOf(text: string): ProfileError {
  try {
    parseProfile(text, 'test.yaml');
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('profile was accepted');
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return index + 1;
}

describe('parseProfile', () => {
  it('returns the validated profile with defaults applied, deeply frozen', () => {
    const profile = parseProfile(profileYaml('good'), 'good.yaml');
    expect(profile.id).toBe('good');
    expect(profile.transport.maxRegistersPerRead).toBe(125);
    expect(profile.points[0]?.access).toBe('r');
    expect(Object.isFrozen(profile.points[0])).toBe(true);
    expect(Object.isFrozen(profile.transport.holes)).toBe(true);
  });

  it('reports every schema issue at once, in source order, each with its own line', () => {
    const text = profileYaml('many', '    colour: red\n').replace('type: int16', 'type: int12').replace('family: generic', 'family: lift');
    const error = issuesOf(text);
    expect(error.code).toBe('PROFILE_INVALID');
    expect(error.issues.map((i) => i.path)).toEqual(['family', 'points[0].type', 'points[1].colour']);
    expect(error.issues.map((i) => i.line)).toEqual([lineOf(text, 'family:'), lineOf(text, 'int12'), lineOf(text, 'colour')]);
    expect(error.message.split('\n')).toHaveLength(4); // summary + one line per issue
  });

  it('points at the value of a bad field and at the key of an unknown one', () => {
    const text = profileYaml('cols', '    colour: red\n').replace('type: int16', 'type: int12');
    const [typeIssue, keyIssue] = issuesOf(text).issues;
    expect(typeIssue?.column).toBe('    type: '.length + 1);
    expect(keyIssue?.column).toBe('    '.length + 1);
  });

  it('reports a missing field at the map that should hold it', () => {
    const text = profileYaml('missing').replace('    name: Temperature\n', '');
    const [issue] = issuesOf(text).issues;
    expect(issue).toMatchObject({ path: 'points[0].name', line: lineOf(text, '- id: temperature'), column: 5 });
    expect(issue?.message).toContain('missing');
  });

  it('reports semantic issues with the same positions', () => {
    const text = profileYaml('semantic').replace('unit: °C', 'unit: degC');
    const [issue] = issuesOf(text).issues;
    expect(issue).toMatchObject({ path: 'points[0].unit', line: lineOf(text, 'degC') });
    expect(issue?.message).toContain('unknown unit "degC"');
  });

  it('locates issues inside flow maps and nested conditions', () => {
    const alarms = `alarms:
  - id: hot
    name: Too hot
    severity: major
    when: { any: [ { point: temperature, gt: 80 }, { point: temprature, gt: 90 } ] }
    message: Temperature {temperature}
`;
    const text = profileYaml('nested', alarms);
    const [issue] = issuesOf(text).issues;
    expect(issue?.path).toBe('alarms[0].when.any[1].point');
    expect(issue?.line).toBe(lineOf(text, 'temprature'));
    expect(issue?.column).toBe(text.split('\n')[lineOf(text, 'temprature') - 1]!.indexOf('temprature') + 1);
  });

  it('picks the closest alternative of a union instead of "Invalid input"', () => {
    const commands = `commands:
  - id: open
    name: Open
    writes:
      - { point: door_state, valu: open }
`;
    const [issue] = issuesOf(profileYaml('union', commands)).issues;
    expect(issue?.path).toBe('commands[0].writes[0].valu');
    expect(issue?.message).toBe('unknown field "valu"');
  });

  it('reports YAML syntax errors and duplicate keys with line and column', () => {
    const dup = profileYaml('dup').replace('vendor: Test\n', 'vendor: Test\nvendor: Other\n');
    const error = issuesOf(dup);
    expect(error.code).toBe('PROFILE_YAML');
    expect(error.issues[0]).toMatchObject({ line: 4, column: 1, path: '' });
    expect(error.issues[0]?.message).toContain('DUPLICATE_KEY');

    const syntax = issuesOf('version: 1\npoints: [\n');
    expect(syntax.code).toBe('PROFILE_YAML');
    expect(syntax.issues[0]?.line).toBeGreaterThan(0);
  });

  it('rejects an empty document as a whole', () => {
    const error = issuesOf('');
    expect(error.issues[0]).toMatchObject({ path: '', line: 1, column: 1 });
  });
});

describe('formatPath', () => {
  it('writes array indexes in brackets', () => {
    expect(formatPath(['points', 3, 'type'])).toBe('points[3].type');
    expect(formatPath([])).toBe('');
  });
});
