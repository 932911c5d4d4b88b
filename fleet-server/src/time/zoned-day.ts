// The server's time zones: a site's zone is checked where it is written (server.yaml, POST /sites,
// retention and quiet-hours config), and its day computed by the code the dashboard shares.

export { isTimeZone, knownZoneOr, startOfZonedDay } from '../../shared/zoned-day.js';
