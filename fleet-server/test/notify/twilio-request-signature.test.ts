import { describe, expect, it } from 'vitest';
import { computeTwilioRequestSignature, verifyTwilioRequestSignature } from '../../src/notify/index.js';

// The worked example from Twilio's webhook security documentation.
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
const TOKEN = '12345';

describe('X-Twilio-Signature', () => {
  it("reproduces Twilio's documented example", () => {
    expect(computeTwilioRequestSignature(URL, PARAMS, TOKEN)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it.each([
    ['the documented signature', URL, PARAMS, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', true],
    ['no header', URL, PARAMS, undefined, false],
    ['a changed parameter', URL, { ...PARAMS, Digits: '1235' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', false],
    ['another URL', 'https://mycompany.com/myapp.php?foo=1', PARAMS, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', false],
    ['a truncated header', URL, PARAMS, '0/KCTR6DLpKmkAf8muzZqo1nDgQ', false],
  ])('verifies %s → %s', (_label, url, params, header, valid) => {
    expect(verifyTwilioRequestSignature(url, params, header, TOKEN)).toBe(valid);
  });
});
