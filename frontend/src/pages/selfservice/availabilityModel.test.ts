import { describe, expect, it } from 'vitest';
import { checkWeek, emptyWeek, fromPattern, fromServerFields, isNothingDeclared, splitPatterns, toRequest } from './availabilityModel';
import { timeOffRange } from './selfText';

describe('the availability model', () => {
  it('reads the server’s "nothing declared" marker as an empty week, and nothing else', () => {
    expect(isNothingDeclared({ windows: [{ weekday: 1, kind: 'available' }] })).toBe(true);
    expect(isNothingDeclared({ windows: [] })).toBe(true);
    expect(isNothingDeclared({ windows: [{ weekday: 2, kind: 'available' }] })).toBe(false);
    expect(isNothingDeclared({ windows: [{ weekday: 1, kind: 'unavailable' }] })).toBe(false);
    expect(isNothingDeclared({ windows: [{ weekday: 1, kind: 'available', start: '09:00', end: '17:00' }] })).toBe(false);
    expect(fromPattern({ effectiveFrom: '2026-12-01', windows: [{ weekday: 1, kind: 'available' }] })).toEqual(emptyWeek());
  });

  it('sends windows Monday first with the key of each, and maps `windows[i]` back to that key', () => {
    const week = fromPattern({
      effectiveFrom: '2026-12-01',
      windows: [
        { weekday: 7, kind: 'available', start: '20:00', end: '01:00' },
        { weekday: 3, kind: 'preferred', start: '18:00', end: '23:00' },
        { weekday: 3, kind: 'unavailable', start: '08:00', end: '12:00' },
      ],
    });
    const { body, keys } = toRequest('2026-12-09', week);
    expect(body.windows.map((w) => [w.weekday, w.start])).toEqual([
      [3, '08:00'],
      [3, '18:00'],
      [7, '20:00'],
    ]);
    const errors = fromServerFields(
      { 'windows[2].start': 'overlaps_other_window', 'windows[0].end': 'invalid_time', windows: 'too_many_windows', effectiveFrom: 'in_past' },
      keys,
    );
    const sunday = week[7]?.[0]?.key ?? '';
    const wednesdayMorning = week[3]?.[0]?.key ?? '';
    expect(errors.windows[sunday]).toEqual({ start: 'overlaps_other_window' });
    expect(errors.windows[wednesdayMorning]).toEqual({ end: 'invalid_time' });
    expect(errors.general).toEqual(['too_many_windows']);
    expect(errors.effectiveFrom).toBe('in_past');
  });

  it('checks dates and times like the server', () => {
    const week = emptyWeek();
    week[2] = [{ key: 'a', kind: 'available', wholeDay: false, start: '', end: '25:00' }];
    const errors = checkWeek('2026-12-08', '2026-12-09', week);
    expect(errors.effectiveFrom).toBe('in_past');
    expect(errors.windows.a).toEqual({ start: 'required', end: 'invalid_time' });
  });

  it('tells the current pattern from the planned ones', () => {
    const p = (effectiveFrom: string) => ({ effectiveFrom, windows: [] });
    const { current, planned } = splitPatterns({ patterns: [p('2026-12-20'), p('2026-11-01')], unavailableDays: [] }, '2026-12-09');
    expect(current?.effectiveFrom).toBe('2026-11-01');
    expect(planned.map((x) => x.effectiveFrom)).toEqual(['2026-12-20']);
  });
});

describe('time-off ranges', () => {
  const range = (firstDay: string, lastDay: string, startTime: string | null = null, endTime: string | null = null) =>
    timeOffRange({ locale: 'en-GB' }, { firstDay, lastDay, startTime, endTime });

  it('reads as typed', () => {
    expect(range('2026-12-21', '2026-12-21')).toBe('Mon, 21 Dec 2026');
    expect(range('2026-12-21', '2026-12-21', null, '12:00')).toBe('Mon, 21 Dec 2026, 00:00–12:00');
    expect(range('2026-12-21', '2026-12-24', '14:00')).toBe('Mon, 21 Dec 2026 14:00 – Thu, 24 Dec 2026');
  });
});
