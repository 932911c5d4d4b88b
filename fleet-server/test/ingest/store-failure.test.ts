import { describe, expect, it } from 'vitest';
import { isPermanentStoreFailure } from '../../src/ingest/store-failure.js';
import { StoreError } from '../../src/store/store-error.js';

const withCode = (code: string): Error => Object.assign(new Error(code), { code });

describe('isPermanentStoreFailure: acknowledge-and-count vs refuse-and-resend', () => {
  it.each([
    ['a StoreError (unknown gateway)', new StoreError('STORE_NOT_FOUND', 'gateway gw-x does not exist'), true],
    ['SQLite foreign key', withCode('SQLITE_CONSTRAINT_FOREIGNKEY'), true],
    ['SQLite datatype mismatch', withCode('SQLITE_MISMATCH'), true],
    ['PostgreSQL numeric out of range (22003)', withCode('22003'), true],
    ['PostgreSQL unique violation (23505)', withCode('23505'), true],
    ['SQLite disk I/O', withCode('SQLITE_IOERR_WRITE'), false],
    ['SQLite full', withCode('SQLITE_FULL'), false],
    ['SQLite busy', withCode('SQLITE_BUSY'), false],
    ['PostgreSQL admin shutdown (57P01)', withCode('57P01'), false],
    ['PostgreSQL connection failure (08006)', withCode('08006'), false],
    ['a refused TCP connection', withCode('ECONNREFUSED'), false],
    ['an error without a code', new Error('Connection terminated unexpectedly'), false],
    ['a thrown string', 'boom', false],
  ])('%s → permanent: %s', (_name, err, permanent) => {
    expect(isPermanentStoreFailure(err)).toBe(permanent);
  });
});
