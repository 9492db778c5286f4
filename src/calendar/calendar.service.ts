import { Clock } from '../common/clock';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as fs from 'fs';
import * as path from 'path';
import { DataSource, EntityManager } from 'typeorm';
import { DbWriter } from '../database/db-writer.service';
import { CalendarDay } from './entities/calendar-day.entity';
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
 * database without any, then kept by the administrator. Reads are served from memory; every
 * change here drops the copy, and other instances reload it within CACHE_MS.
 */
@Injectable()
export class CalendarService implements OnApplicationBootstrap {
  private static readonly CACHE_MS = 30_000;
  private readonly logger = new Logger('Calendar');
  private cached: { at: number; calendar: WorkCalendar } | null = null;

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

  invalidate(): void {
    this.cached = null;
  }

  async calendar(): Promise<WorkCalendar> {
    if (this.cached && Date.now() - this.cached.at < CalendarService.CACHE_MS) return this.cached.calendar;
    const [years, days] = await Promise.all([this.dataSource.getRepository(CalendarYear).find(), this.dataSource.getRepository(CalendarDay).find()]);
    const calendar = new WorkCalendar(
      years.map((y) => y.year),
      days,
    );
    this.cached = { at: Date.now(), calendar };
    return calendar;
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
