// The server's time zones: a site's zone is checked where it is written (server.yaml, POST /sites,
// retention and quiet-hours config), and its day computed by the code the dashboard shares.

export { startOfZonedDay } from '../../shared/zoned-day.js';

/** True for a zone Intl knows (IANA names such as "Europe/Berlin", and "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
