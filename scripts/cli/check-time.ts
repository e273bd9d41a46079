/**
 * `--at <ISO-8601>`: the moment to check as of (cli.md), for reviewing old attachments.
 */

// Date, or date and time with optional seconds, fraction and zone (ISO 8601 extended format).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** China Standard Time, in minutes east of UTC. */
const CST_OFFSET_MINUTES = 8 * 60;

/**
 * Parses an ISO 8601 date or date-time. Without a zone the time is read as China Standard
 * Time (UTC+8), the zone letters are written in, so `--at 2026-03-01` means the start of
 * 1 March in Beijing whatever the machine's zone. Impossible dates (`2026-02-30`, hour 24)
 * give null rather than rolling over into the next month.
 *
 * @example parseCheckTime('2026-03-01') // 2026-02-28T16:00:00.000Z
 * @example parseCheckTime('2026-03-01T09:30:00Z') // 2026-03-01T09:30:00.000Z
 */
export function parseCheckTime(text: string): Date | null {
  const match = ISO.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  const utcMidnight = new Date(0).setUTCFullYear(year, month - 1, day);
  if (new Date(utcMidnight).getUTCDate() !== day) return null; // 30 February and the like
  const offset = zoneOffsetMinutes(zone);
  if (offset === null) return null;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  const epoch = utcMidnight + ((hour * 60 + minute - offset) * 60 + second) * 1000 + Math.floor(ms);
  const date = new Date(epoch);
  return Number.isNaN(date.getTime()) ? null : date;
}

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined) return CST_OFFSET_MINUTES;
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}
