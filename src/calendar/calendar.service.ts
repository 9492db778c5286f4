import { Clock } from '../common/clock';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as fs from 'fs';
import * as path from 'path';
import { DataSource, EntityManager } from 'typeorm';
import { DbWriter } from '../database/db-writer.service';
import { CalendarDay } from './entities/calendar-day.entity';
import { CountyCalendarDay } from './entities/county-calendar-day.entity';
import { CalendarYear } from './entities/calendar-year.entity';
import { DayType, dayNumber, expandRange, WorkCalendar } from './work-calendar';

export const CALENDAR_DATA_DIR = path.resolve(__dirname, '..', '..', 'data', 'calendar');

interface CalendarFile {
  year: number;
  source: string;
  holidays: { name: string; off: string[]; workdays: string[] }[];
}

/** The rows a data file stands for. */
export function daysOfFile(file: CalendarFile): { date: string; type: DayType; name: string }[] {
  const out: { date: string; type: DayType; name: string }[] = [];
  for (const h of file.holidays) {
    for (const date of expandRange(h.off)) out.push({ date, type: 'off', name: h.name });
    for (const date of h.workdays) out.push({ date, type: 'workday', name: `${h.name}调休上班` });
  }
  return out;
}

/**
 * The official calendar: rows in calendar_years/calendar_days, seeded from data/calendar on a
 * database without any, then kept by the administrator; a county's own days
 * (county_calendar_days) lie over it for that county only. Reads are served from memory, one
 * copy per county; every change here drops the copies concerned, and other instances reload
 * them within CACHE_MS.
 */
@Injectable()
export class CalendarService implements OnApplicationBootstrap {
  private static readonly CACHE_MS = 30_000;
  private readonly logger = new Logger('Calendar');
  /** The national rows, shared by every county's calendar. */
  private shared: { at: number; years: number[]; days: CalendarDay[] } | null = null;
  /** Each county's calendar ('' the national one, for a caller with no county). */
  private readonly cached = new Map<string, { at: number; calendar: WorkCalendar }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const n = await this.dataSource.getRepository(CalendarYear).count();
    if (n === 0) await this.seedFromFiles(CALENDAR_DATA_DIR, true);
  }

  /** `onlyIfEmpty`: at start-up, seeded by whichever instance gets there first, once. */
  async seedFromFiles(dir = CALENDAR_DATA_DIR, onlyIfEmpty = false): Promise<number[]> {
    const files = fs.readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f));
    const years: number[] = [];
    await this.writer.exclusive('seed-calendar', async (m) => {
      if (onlyIfEmpty && (await m.getRepository(CalendarYear).count()) > 0) return;
      for (const f of files) {
        const file = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CalendarFile;
        await this.saveYear(m, file.year, file.source, daysOfFile(file), '数据文件');
        years.push(file.year);
      }
    });
    this.invalidate();
    if (years.length) this.logger.log(`Holiday calendar seeded for ${years.join(', ')}`);
    return years;
  }

  /** Replaces a whole year (the notice for next year, or a corrected one). */
  async saveYear(m: EntityManager, year: number, source: string, days: { date: string; type: DayType; name: string }[], by: string): Promise<void> {
    await m.getRepository(CalendarDay).delete({ year });
    if (days.length) await m.getRepository(CalendarDay).insert(days.map((d) => ({ ...d, year })));
    await m.getRepository(CalendarYear).upsert({ year, source, updatedAt: this.clock.now(), updatedBy: by }, ['year']);
    this.invalidate();
  }

  /** Drops the copies: one county's (its own days changed), or all of them (the national calendar changed). */
  invalidate(countyCode?: string): void {
    if (countyCode) {
      this.cached.delete(countyCode);
      return;
    }
    this.shared = null;
    this.cached.clear();
  }

  private fresh(at: number): boolean {
    return Date.now() - at < CalendarService.CACHE_MS;
  }

  private async sharedRows(): Promise<{ years: number[]; days: CalendarDay[] }> {
    if (this.shared && this.fresh(this.shared.at)) return this.shared;
    const [years, days] = await Promise.all([this.dataSource.getRepository(CalendarYear).find(), this.dataSource.getRepository(CalendarDay).find()]);
    this.shared = { at: Date.now(), years: years.map((y) => y.year), days };
    return this.shared;
  }

  /**
   * The working-day calendar of a county: the national calendar with the county's own days laid
   * over it (a county day replaces the national day of the same date). No county, or a county
   * with no days of its own: the national calendar. The one way to a calendar; everything that
   * counts days comes here with the case's county.
   */
  async calendar(countyCode?: string | null): Promise<WorkCalendar> {
    const key = countyCode ?? '';
    const hit = this.cached.get(key);
    if (hit && this.fresh(hit.at)) return hit.calendar;
    const shared = await this.sharedRows();
    const own = key ? await this.countyDays(key) : [];
    // the county's rows last: WorkCalendar keeps the last type given for a date
    const calendar = new WorkCalendar(shared.years, own.length ? [...shared.days, ...own] : shared.days);
    this.cached.set(key, { at: Date.now(), calendar });
    return calendar;
  }

  /** A county's own days, by date (all years, or one). */
  countyDays(countyCode: string, year?: number): Promise<CountyCalendarDay[]> {
    return this.dataSource.getRepository(CountyCalendarDay).find({ where: { countyCode, ...(year ? { year } : {}) }, order: { date: 'ASC' } });
  }

  years(): Promise<CalendarYear[]> {
    return this.dataSource.getRepository(CalendarYear).find({ order: { year: 'ASC' } });
  }

  days(year: number): Promise<CalendarDay[]> {
    return this.dataSource.getRepository(CalendarDay).find({ where: { year }, order: { date: 'ASC' } });
  }

  static isDate(ymd: string): boolean {
    return dayNumber(ymd) !== null;
  }
}
