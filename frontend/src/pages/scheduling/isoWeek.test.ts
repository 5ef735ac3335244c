import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWeeks,
  compareWeeks,
  currentIsoWeek,
  daysBetween,
  formatIsoWeek,
  isIsoWeek,
  isoWeekOf,
  mondayOf,
  parseIsoWeek,
  weekDates,
  weeksInYear,
} from './isoWeek';

describe('isoWeekOf', () => {
  it.each([
    ['2026-01-01', '2026-W01'], // a Thursday: week 1 of its own year
    ['2025-12-29', '2026-W01'], // the Monday of that week is still in 2025
    ['2025-12-28', '2025-W52'],
    ['2026-06-15', '2026-W25'],
    ['2026-12-28', '2026-W53'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-01', '2026-W53'], // 2027 starts on a Friday: its first days belong to 2026's week 53
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2021-01-03', '2020-W53'], // 2020 is a leap year starting on a Wednesday: 53 weeks too
    ['2024-12-30', '2025-W01'],
    ['2000-02-29', '2000-W09'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('takes the UTC calendar day of a Date', () => {
    expect(isoWeekOf(new Date('2027-01-01T23:30:00Z'))).toBe('2026-W53');
  });

  it('refuses what is not a date', () => {
    expect(() => isoWeekOf('2026-02-30')).toThrow(RangeError);
    expect(() => isoWeekOf('tomorrow')).toThrow(RangeError);
  });
});

describe('weeksInYear', () => {
  it.each([
    [2015, 53],
    [2020, 53],
    [2021, 52],
    [2024, 52],
    [2025, 52],
    [2026, 53],
    [2027, 52],
    [2032, 53],
  ])('%i has %i weeks', (year, weeks) => {
    expect(weeksInYear(year)).toBe(weeks);
  });
});

describe('parseIsoWeek', () => {
  it('reads a week that exists', () => {
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(parseIsoWeek('2026-w05')).toEqual({ year: 2026, week: 5 });
    expect(formatIsoWeek({ year: 2026, week: 5 })).toBe('2026-W05');
  });

  it.each(['2027-W53', '2026-W00', '2026-W54', '2026-W5', '2026W05', '26-W05', 'next'])('refuses %s', (text) => {
    expect(parseIsoWeek(text)).toBeNull();
    expect(isIsoWeek(text)).toBe(false);
  });
});

describe('addWeeks', () => {
  it.each([
    ['2026-W52', 1, '2026-W53'],
    ['2026-W53', 1, '2027-W01'],
    ['2027-W01', -1, '2026-W53'],
    ['2025-W52', 1, '2026-W01'],
    ['2026-W01', -1, '2025-W52'],
    ['2026-W10', 0, '2026-W10'],
    ['2026-W10', 52, '2027-W09'],
    ['2026-W10', -104, '2024-W10'],
  ])('%s %+i week(s) is %s', (week, n, expected) => {
    expect(addWeeks(week, n)).toBe(expected);
  });

  it('refuses a week that does not exist', () => {
    expect(() => addWeeks('2027-W53', 1)).toThrow(RangeError);
  });
});

describe('days of a week', () => {
  it('starts on Monday, also across the new year', () => {
    expect(mondayOf('2026-W01')).toBe('2025-12-29');
    expect(mondayOf('2026-W53')).toBe('2026-12-28');
    expect(weekDates('2026-W53')).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
    for (const date of weekDates('2026-W53')) expect(isoWeekOf(date)).toBe('2026-W53');
  });

  it('counts calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-29', '2026-03-29')).toBe(0);
  });
});

describe('currentIsoWeek', () => {
  it("uses today's date in the location's time zone", () => {
    // Sunday 3 January 2027 23:30 in UTC is already Monday 4 January in Amsterdam.
    const now = new Date('2027-01-03T23:30:00Z');
    expect(currentIsoWeek('UTC', now)).toBe('2026-W53');
    expect(currentIsoWeek('Europe/Amsterdam', now)).toBe('2027-W01');
  });
});

describe('compareWeeks', () => {
  it('orders weeks across a year end', () => {
    expect(['2027-W01', '2026-W53', '2026-W09', '2026-W10'].sort(compareWeeks)).toEqual([
      '2026-W09',
      '2026-W10',
      '2026-W53',
      '2027-W01',
    ]);
    expect(compareWeeks('2026-W10', '2026-W10')).toBe(0);
  });
});
