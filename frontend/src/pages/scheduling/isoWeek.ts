// ISO 8601 weeks as the scheduling API names them ("2026-W05"): which week a calendar date belongs to, a
// week's Monday and days, and stepping weeks forward and back across years with 52 or 53 weeks. Dates are
// calendar dates (`YYYY-MM-DD`) computed in UTC, so the browser's own time zone never shifts a day; "today"
// comes from the location's zone.
import { todayInZone } from '../hiring/zonedTime';

export interface IsoWeekParts {
  year: number;
  week: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight UTC of a calendar date (also for years below 100, which `Date.UTC` would move to the 1900s). */
function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function toIsoDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** `YYYY-MM-DD` as midnight UTC, or null when it is not a real date. */
function parseDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = utcDate(year, month - 1, day);
  return toIsoDate(date) === text ? date : null;
}

/** Monday = 0 … Sunday = 6. */
function weekdayIndex(date: Date): number {
  return (date.getUTCDay() + 6) % 7;
}

function weekPartsOf(date: Date): IsoWeekParts {
  // The week belongs to the year of its Thursday.
  const thursday = new Date(date.getTime() + (3 - weekdayIndex(date)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - utcDate(year, 0, 1).getTime()) / DAY_MS / 7) + 1;
  return { year, week };
}

/** "2026-W05". */
export function formatIsoWeek({ year, week }: IsoWeekParts): string {
  return `${pad(year, 4)}-W${pad(week, 2)}`;
}

/** 52 or 53: a year has 53 ISO weeks when 28 December (always in the last week) falls in week 53. */
export function weeksInYear(year: number): number {
  return weekPartsOf(utcDate(year, 11, 28)).week;
}

/** `2026-W05` (or `2026-w05`) as parts, or null when it is not a week that exists. */
export function parseIsoWeek(text: string): IsoWeekParts | null {
  const m = /^(\d{4})-[Ww](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function isIsoWeek(text: string): boolean {
  return parseIsoWeek(text) !== null;
}

function required(week: string): IsoWeekParts {
  const parts = parseIsoWeek(week);
  if (!parts) throw new RangeError(`not an ISO week: ${week}`);
  return parts;
}

function mondayDate({ year, week }: IsoWeekParts): Date {
  // 4 January is always in week 1.
  const jan4 = utcDate(year, 0, 4);
  return new Date(jan4.getTime() + ((week - 1) * 7 - weekdayIndex(jan4)) * DAY_MS);
}

/**
 * The ISO week of a calendar date: `isoWeekOf('2027-01-01')` is `2026-W53`. A `Date` counts by its UTC calendar
 * day; for "today at a location" use `currentIsoWeek(timeZone)`.
 */
export function isoWeekOf(date: string | Date): string {
  const day = typeof date === 'string' ? parseDate(date) : utcDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (!day || Number.isNaN(day.getTime())) throw new RangeError(`not a date: ${String(date)}`);
  return formatIsoWeek(weekPartsOf(day));
}

/** The week's Monday as `YYYY-MM-DD`. */
export function mondayOf(week: string): string {
  return toIsoDate(mondayDate(required(week)));
}

/** The week's seven dates, Monday first. */
export function weekDates(week: string): string[] {
  const monday = mondayDate(required(week));
  return Array.from({ length: 7 }, (_, i) => toIsoDate(new Date(monday.getTime() + i * DAY_MS)));
}

/** The week `weeks` later (negative: earlier): `addWeeks('2026-W53', 1)` is `2027-W01`. */
export function addWeeks(week: string, weeks: number): string {
  const monday = mondayDate(required(week));
  return formatIsoWeek(weekPartsOf(new Date(monday.getTime() + Math.trunc(weeks) * 7 * DAY_MS)));
}

/** A calendar date `days` later (negative: earlier). */
export function addDays(date: string, days: number): string {
  const day = parseDate(date);
  if (!day) throw new RangeError(`not a date: ${date}`);
  return toIsoDate(new Date(day.getTime() + Math.trunc(days) * DAY_MS));
}

/** Whole days from one calendar date to another (`daysBetween('2026-12-31', '2027-01-01')` is 1). */
export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) throw new RangeError(`not a date: ${a ? to : from}`);
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

/** The ISO week of today in `timeZone` (a location's zone), e.g. for a default week. */
export function currentIsoWeek(timeZone: string, now: Date = new Date()): string {
  return isoWeekOf(todayInZone(timeZone, now));
}

/** Orders two valid weeks (`2026-W53` before `2027-W01`): their text sorts as they follow each other. */
export function compareWeeks(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
