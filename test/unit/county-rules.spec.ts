import { WorkCalendar } from '../../src/calendar/work-calendar';
import type { CountyDeadlineRule } from '../../src/deadlines/entities/county-deadline-rule.entity';
import type { DeadlineRule } from '../../src/deadlines/entities/deadline-rule.entity';
import { pickRule, withOverride } from '../../src/deadlines/deadlines.service';
import { unionScope } from '../../src/deadlines/recompute.service';

const shared = (over: Partial<DeadlineRule>): DeadlineRule =>
  ({ id: 1, stage: 'verify', kind: null, program: null, limitValue: 25, unit: 'workday', maxExtension: 10, source: '统一规则', updatedAt: new Date(0), updatedBy: '默认规则', ...over }) as DeadlineRule;
const own = (over: Partial<CountyDeadlineRule>): CountyDeadlineRule =>
  ({ countyCode: '141099', ruleId: 1, limitValue: 10, unit: 'day', maxExtension: 3, source: '本县通知', updatedAt: new Date(1000), updatedBy: '陈建国', ...over }) as CountyDeadlineRule;

describe('a county’s own rule over the shared one', () => {
  it('takes the county’s days, unit, extension and source, and keeps the shared values beside them', () => {
    const r = withOverride(shared({}), own({}));
    expect(r).toMatchObject({ id: 1, stage: 'verify', limitValue: 10, unit: 'day', maxExtension: 3, source: '本县通知', updatedBy: '陈建国' });
    expect(r.shared).toEqual({ limitValue: 25, unit: 'workday', maxExtension: 10, source: '统一规则' });
  });

  it('is the shared rule itself where the county has set nothing', () => {
    expect(withOverride(shared({}), undefined)).toMatchObject({ limitValue: 25, unit: 'workday', shared: null });
  });

  it('changes a rule’s days, not which rule is the most specific', () => {
    const general = shared({ id: 1 });
    const specific = shared({ id: 2, kind: 'helpRequest', program: 'ruralDibao', limitValue: 30 });
    const rules = [withOverride(general, own({ ruleId: 1, limitValue: 5 })), withOverride(specific, undefined)];
    expect(pickRule(rules, 'verify', 'helpRequest', 'ruralDibao')!.id).toBe(2);
    expect(pickRule(rules, 'verify', 'complaint', 'ruralDibao')).toMatchObject({ id: 1, limitValue: 5 });
  });
});

describe('the counties a recomputation covers', () => {
  it('adds a second county’s change to the first’s', () => {
    expect(unionScope(['141099'], ['141098'])).toEqual(['141098', '141099']);
    expect(unionScope(['141099'], ['141099'])).toEqual(['141099']);
  });

  it('covers every county when either change was a shared one (or an older state without counties)', () => {
    expect(unionScope(null, ['141098'])).toBeNull();
    expect(unionScope(['141099'], null)).toBeNull();
    expect(unionScope(undefined, ['141098'])).toBeNull();
  });
});

describe('a county’s days over the national calendar', () => {
  // CalendarService.calendar(countyCode) passes the national rows first and the county's after them
  const national = [{ date: '2026-10-01', type: 'off' as const }, { date: '2026-10-10', type: 'workday' as const }];
  const county = [{ date: '2026-10-10', type: 'off' as const }, { date: '2026-11-23', type: 'off' as const }];

  it('lets the county’s row decide a date both have, and adds its own rest days', () => {
    const cal = new WorkCalendar([2026], [...national, ...county]);
    expect(cal.isWorkday('2026-10-10')).toBe(false);
    expect(cal.isWorkday('2026-11-23')).toBe(false);
    expect(cal.isWorkday('2026-10-01')).toBe(false);
    expect(new WorkCalendar([2026], national).isWorkday('2026-10-10')).toBe(true);
  });
});
