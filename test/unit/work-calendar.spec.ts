import * as fs from 'fs';
import * as path from 'path';
import { CALENDAR_DATA_DIR, daysOfFile } from '../../src/calendar/calendar.service';
import { CalendarMissingError, WorkCalendar } from '../../src/calendar/work-calendar';
import { parseNoticeLines } from '../../src/deadlines/calendar-admin.service';
import { remainingAt } from '../../src/deadlines/deadlines.service';

function officialCalendar(): WorkCalendar {
  const files = fs.readdirSync(CALENDAR_DATA_DIR).filter((f) => f.endsWith('.json'));
  const years: number[] = [];
  const days: { date: string; type: 'off' | 'workday' }[] = [];
  for (const f of files) {
    const file = JSON.parse(fs.readFileSync(path.join(CALENDAR_DATA_DIR, f), 'utf8'));
    years.push(file.year);
    days.push(...daysOfFile(file));
  }
  return new WorkCalendar(years, days);
}

describe('working days on the State Council calendar', () => {
  const cal = officialCalendar();

  it('ships calendars for 2024, 2025 and 2026', () => {
    expect(cal.coveredYears).toEqual([2024, 2025, 2026]);
  });

  it('agrees with an independent source (chinese-days) on every day of 2024-2026', () => {
    // chinese-days is a cross-check only: it silently treats unpublished years as weekends-only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isWorkday } = require('chinese-days') as { isWorkday: (d: string) => boolean };
    const differences: string[] = [];
    for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      if (cal.isWorkday(d) !== isWorkday(d)) differences.push(d);
    }
    expect(differences).toEqual([]);
  });

  it('counts from the day after the start', () => {
    // Monday 2026-03-02 + 1 working day = Tuesday
    expect(cal.due('2026-03-02', 1, 'workday')).toBe('2026-03-03');
    expect(cal.due('2026-03-06', 1, 'workday')).toBe('2026-03-09'); // Friday → Monday
  });

  it('skips the Spring Festival 2026 and counts its make-up Saturdays', () => {
    // Fri 2026-02-13; Sat 2/14 is a make-up working day; 2/15-2/23 off; 2/24 back to work
    expect(cal.due('2026-02-13', 1, 'workday')).toBe('2026-02-14');
    expect(cal.due('2026-02-13', 2, 'workday')).toBe('2026-02-24');
    // Sat 2/28 is a make-up working day too
    expect(cal.due('2026-02-26', 2, 'workday')).toBe('2026-02-28');
  });

  it('skips National Day 2025 (Oct 1-8) and counts Sat Oct 11', () => {
    // Sun 9/28 is a make-up day: from Fri 9/26, 1 wd = 9/28; 2 wd = 9/29; 3 wd = 9/30; 4 wd = 10/9
    expect(cal.due('2025-09-26', 1, 'workday')).toBe('2025-09-28');
    expect(cal.due('2025-09-26', 4, 'workday')).toBe('2025-10-09');
    expect(cal.due('2025-10-09', 2, 'workday')).toBe('2025-10-11');
  });

  it('gives the 2-working-day acknowledge limit across Mid-Autumn 2026', () => {
    // Thu 2026-09-24; 9/25-9/27 off → Mon 9/28, Tue 9/29
    expect(cal.due('2026-09-24', 2, 'workday')).toBe('2026-09-29');
  });

  it('counts a 25-working-day verification across National Day 2026', () => {
    expect(cal.due('2026-09-21', 25, 'workday')).toBe('2026-11-02');
  });

  it('moves a calendar-day limit ending on a holiday to the next working day', () => {
    // 2026-01-16 + 15 days = 2026-01-31 (Saturday) → Monday 2026-02-02
    expect(cal.due('2026-01-16', 15, 'day')).toBe('2026-02-02');
    // 2026-09-15 + 15 days = 2026-09-30 (Wednesday, a working day) stays
    expect(cal.due('2026-09-15', 15, 'day')).toBe('2026-09-30');
    // 2026-09-16 + 15 = 2026-10-01 (National Day) → 2026-10-08
    expect(cal.due('2026-09-16', 15, 'day')).toBe('2026-10-08');
    // 60 days from 2026-08-02 = 2026-10-01 → 2026-10-08
    expect(cal.due('2026-08-02', 60, 'day')).toBe('2026-10-08');
  });

  it('refuses to compute into a year with no calendar', () => {
    expect(() => cal.due('2026-12-20', 10, 'workday')).toThrow(CalendarMissingError);
    try {
      cal.due('2026-12-20', 10, 'workday');
    } catch (e) {
      expect((e as CalendarMissingError).year).toBe(2027);
    }
    expect(() => cal.due('2026-12-25', 10, 'day')).toThrow(CalendarMissingError);
    // within the year it still works
    expect(cal.due('2026-12-20', 5, 'workday')).toBe('2026-12-25');
  });

  it('counts the working days left between two dates', () => {
    expect(cal.workdaysBetween('2026-09-24', '2026-09-29')).toBe(2);
    expect(cal.workdaysBetween('2026-09-29', '2026-09-29')).toBe(0);
  });

  it('follows an added make-up day', () => {
    const extra = new WorkCalendar([2026], [{ date: '2026-03-07', type: 'workday' }]);
    expect(extra.due('2026-03-06', 1, 'workday')).toBe('2026-03-07');
  });
});

describe('the yearly notice as typed by the administrator', () => {
  it('reads days, ranges and make-up days', () => {
    const { days, errors } = parseNoticeLines(2027, '2027-01-01 休 元旦\n2027-02-06~2027-02-08 休 春节\n2027-02-14 班 春节\n');
    expect(errors).toEqual([]);
    expect(days).toEqual([
      { date: '2027-01-01', type: 'off', name: '元旦' },
      { date: '2027-02-06', type: 'off', name: '春节' },
      { date: '2027-02-07', type: 'off', name: '春节' },
      { date: '2027-02-08', type: 'off', name: '春节' },
      { date: '2027-02-14', type: 'workday', name: '春节' },
    ]);
  });

  it('names the line of each mistake', () => {
    const { errors } = parseNoticeLines(2027, '2027-01-01 休 元旦\n2027-02-30 休 春节\nfoo\n2028-01-01 休 元旦\n2027-02-08~2027-02-06 休 x');
    expect(errors).toEqual([
      '第 2 行日期不存在',
      expect.stringContaining('第 3 行格式不正确'),
      '第 4 行日期 2028-01-01 不在 2027 年',
      '第 5 行结束日期早于开始日期',
    ]);
  });
});

describe('what a paused clock has left', () => {
  const cal = officialCalendar();

  it('counts to the due date when it is known, and is the limit less the days used when the due date is in a year with no calendar', () => {
    // 10 working days from Monday 2026-11-23 end on 2026-12-07; on 11-25 two are used, eight left
    const known = { startDate: '2026-11-23', limitValue: 10, extension: 0, unit: 'workday' as const, dueDate: cal.due('2026-11-23', 10, 'workday') };
    expect(known.dueDate).toBe('2026-12-07');
    expect(remainingAt(cal, known, '2026-11-25')).toBe(8);
    // 30 working days reach January 2027, which has no calendar: the same two used, 28 left
    expect(() => cal.due('2026-11-23', 30, 'workday')).toThrow(CalendarMissingError);
    expect(remainingAt(cal, { ...known, limitValue: 30, dueDate: null }, '2026-11-25')).toBe(28);
    expect(remainingAt(cal, { ...known, limitValue: 25, extension: 5, dueDate: null }, '2026-11-25')).toBe(28);
    // calendar days: the days to the date, or the limit less the days since the start
    expect(remainingAt(cal, { startDate: '2026-11-23', limitValue: 60, extension: 0, unit: 'day', dueDate: null }, '2026-11-25')).toBe(58);
    // nothing left once the date has come
    expect(remainingAt(cal, known, '2026-12-07')).toBe(0);
    expect(remainingAt(cal, known, '2026-12-20')).toBe(0);
  });
});
