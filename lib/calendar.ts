/**
 * Calendar dates in YYYY-MM-DD form. Contract dates are calendar dates in Japan Standard Time
 * (12.4.4), so "today" for the 45-day erasure window (CLD8.1.5) is today's date in Japan,
 * whatever the machine's zone.
 */
import { ERASURE_DEADLINE_DAYS, UTC_OFFSET } from '../commitments';

const OFFSET_MS = (() => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(UTC_OFFSET);
  if (m === null) throw new Error(`UTC_OFFSET ${UTC_OFFSET} is not ±HH:MM`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
})();

/** Adds days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** True when the text is a real calendar date in YYYY-MM-DD form. */
export function isCalendarDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** YYYY-MM-DD of `now` in Japan Standard Time. */
export function todayInJapan(now: Date): string {
  return new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The day the erasure window ends: termination + 45 days. */
export function windowEnd(terminationDate: string): string {
  return addDays(terminationDate, ERASURE_DEADLINE_DAYS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `now` as an ISO timestamp in Japan Standard Time (2026-11-30T16:51:06+09:00): reports show JST (12.4.4). */
export function timestampInJapan(now: Date): string {
  return `${new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 19)}${UTC_OFFSET}`;
}
