import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '@edgefleet/device-profiles';
import { parseServerConfig } from '../../src/config/server-config.js';
import { DEFAULT_RETENTION } from '../../src/retention/index.js';

const FILE = '/etc/edgefleet/server.yaml';

function errorOf(text: string): ConfigFileError {
  try {
    parseServerConfig(text, FILE);
  } catch (err) {
    if (err instanceof ConfigFileError) return err;
    throw err;
  }
  throw new Error('config was accepted');
}

describe('server.yaml retention section', () => {
  it('defaults every field when the section is absent', () => {
    expect(parseServerConfig('dataDir: /d\n', FILE).retention).toEqual({
      enabled: true, rawDays: 30, dedupDays: 30, eventDays: 365, rollupCron: '5 * * * *', pruneCron: '17 3 * * *',
      timezone: 'UTC', rollupLateHours: 3, rollupRecheckDays: 7,
    });
    expect(DEFAULT_RETENTION).toEqual(parseServerConfig('dataDir: /d\nretention: {}\n', FILE).retention);
  });

  it('takes the fields given and defaults the rest', () => {
    const config = parseServerConfig('dataDir: /d\nretention:\n  rawDays: 90\n  pruneCron: "0 4 * * 0"\n  timezone: Europe/Berlin\n', FILE);
    expect(config.retention).toMatchObject({ rawDays: 90, pruneCron: '0 4 * * 0', timezone: 'Europe/Berlin', rollupCron: '5 * * * *' });
  });

  it('refuses a bad cron expression with the file, line, field and the reason', () => {
    const err = errorOf('dataDir: /d\nretention:\n  rollupCron: "61 * * * *"\n');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/server\.yaml:3:\d+ +retention\.rollupCron/);
    expect(err.message).toContain('not a cron expression ("61 * * * *"): minute: 61 is a invalid expression for minute');
  });

  it.each([
    ['a cron with too few fields', 'pruneCron: "every day"', /retention\.pruneCron.*expected 5 or 6 fields/s],
    ['an unknown time zone', 'timezone: Mars/Olympus', /retention\.timezone.*IANA time zone/s],
    ['a dedup window inside the outbox max age', 'dedupDays: 7', /retention\.dedupDays.*outbox\.maxAge/s],
    ['a recheck window reaching past the raw window', 'rawDays: 5\n  rollupRecheckDays: 5', /retention\.rollupRecheckDays.*less than rawDays \(5\)/s],
    ['zero days of raw telemetry', 'rawDays: 0', /retention\.rawDays/],
    ['an unknown key', 'rawdays: 10', /rawdays/],
  ])('refuses %s', (_name, body, pattern) => {
    expect(errorOf(`dataDir: /d\nretention:\n  ${body}\n`).message).toMatch(pattern);
  });
});
