import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProfileError, parseProfile } from '../../src/index.js';
import type { ProfileErrorCode } from '../../src/index.js';

const BROKEN_DIR = fileURLToPath(new URL('../fixtures/broken/', import.meta.url));

interface Expected {
  code: ProfileErrorCode;
  line: number;
  column?: number;
  /** Substring of the issue's field path ("" for YAML syntax errors, which have no field). */
  pathContains: string;
  messageContains: string;
}

/** Each broken fixture → the first issue it must produce. Lines are 1-based, as editors show them. */
const EXPECTED: Record<string, Expected> = {
  'bad-yaml-syntax.yaml': { code: 'PROFILE_YAML', line: 9, column: 1, pathContains: '', messageContains: 'without - indicator' },
  'duplicate-yaml-key.yaml': { code: 'PROFILE_YAML', line: 13, column: 5, pathContains: '', messageContains: 'DUPLICATE_KEY' },
  'unknown-type.yaml': { code: 'PROFILE_INVALID', line: 17, column: 11, pathContains: 'points[1].type', messageContains: 'expected one of' },
  'unknown-key.yaml': { code: 'PROFILE_INVALID', line: 13, column: 5, pathContains: 'points[0].scaling', messageContains: 'unknown field "scaling"' },
  'missing-field.yaml': { code: 'PROFILE_INVALID', line: 13, column: 5, pathContains: 'points[1].name', messageContains: 'missing' },
  'overlapping-points.yaml': { code: 'PROFILE_INVALID', line: 16, pathContains: 'points[1].address', messageContains: 'overlaps trips' },
  'rule-missing-point.yaml': { code: 'PROFILE_INVALID', line: 20, pathContains: 'alarms[0].when.all[1].point', messageContains: '"car_moving"' },
  'read-over-125.yaml': { code: 'PROFILE_INVALID', line: 8, pathContains: 'transport.maxRegistersPerRead', messageContains: '125' },
  'point-over-device-limit.yaml': { code: 'PROFILE_INVALID', line: 15, pathContains: 'points[0].length', messageContains: 'maxRegistersPerRead (8)' },
  'bool-register-without-bit.yaml': { code: 'PROFILE_INVALID', line: 13, pathContains: 'points[1].bit', messageContains: 'needs `bit`' },
  'enum-label-typo.yaml': { code: 'PROFILE_INVALID', line: 18, pathContains: 'alarms[0].when.eq', messageContains: '"opne" is not a label' },
  'duplicate-point-id.yaml': { code: 'PROFILE_INVALID', line: 13, pathContains: 'points[1].id', messageContains: 'duplicate point id' },
  'point-in-hole.yaml': { code: 'PROFILE_INVALID', line: 14, pathContains: 'points[0].address', messageContains: 'hole 10..19' },
  'command-writes-read-only.yaml': { code: 'PROFILE_INVALID', line: 18, pathContains: 'commands[0].writes[0].point', messageContains: 'read-only' },
};

function rejection(file: string): ProfileError {
  const text = readFileSync(`${BROKEN_DIR}${file}`, 'utf8');
  try {
    parseProfile(text, file);
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error(`${file} was accepted`);
}

describe('broken profile fixtures', () => {
  it('has an expectation for every fixture file, and a fixture for every expectation', () => {
    const files = readdirSync(BROKEN_DIR).filter((name) => name.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s is rejected with file, line and field', (file, expected) => {
    const error = rejection(file);
    expect(error.code).toBe(expected.code);
    const [first] = error.issues;
    expect(first).toBeDefined();
    expect(first?.file).toBe(file);
    expect(first?.line).toBe(expected.line);
    if (expected.column !== undefined) expect(first?.column).toBe(expected.column);
    expect(first?.path).toContain(expected.pathContains);
    expect(first?.message).toContain(expected.messageContains);
    // The human-readable message carries the same location, as `file:line:column  path: message`.
    const where = `${file}:${expected.line}:${first?.column}`;
    expect(error.message).toContain(where);
  });
});
