import type { AuthUser } from '../../src/auth/auth-user';
import { countFiltered } from '../../src/cases/case-query.repository';
import { LIST_COUNT_CAP } from '../../src/cases/case-query.service';
import { unreadNoticeCount } from '../../src/notifications/notifications.repository';
import { queueCount } from '../../src/queues/queues.repository';
import { badgeText, NAV_COUNT_CAP } from '../../src/queues/queues.service';
import { TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';

/**
 * The list's count and the navigation's badges count up to a cap and then say so ("10000+",
 * "999+"): at ten million cases an exact COUNT(*) is a second on every page. Below the cap they
 * are exact; here the demo county's counts are checked against plain counts of the tables.
 */
describe(`counts that stop at a cap (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('demo');

  const userOf = async (role: string): Promise<AuthUser> => {
    const [u] = (await t.ds.query('SELECT id, username, displayName, role, townshipId, regionCode FROM users WHERE role = ? ORDER BY id LIMIT 1', [role])) as (AuthUser & { regionCode: string })[];
    return { ...u, countyCodes: [u.regionCode], via: 'session', recused: true } as AuthUser;
  };
  const plain = async (sql: string, params: unknown[] = []) => Number(((await t.ds.query(sql, params)) as { n: number }[])[0].n);

  it('count a filtered list exactly below the cap, and cap + 1 above it', async () => {
    const supervisor = await userOf('supervisor');
    const all = await plain(`SELECT COUNT(*) AS n FROM cases WHERE countyCode = '141099'`);
    const accepted = await plain(`SELECT COUNT(*) AS n FROM cases WHERE countyCode = '141099' AND status = 'accepted'`);
    expect(all).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(0);
    const b = { dueToday: '2026-12-01' };
    expect(await countFiltered(t.ds.manager, supervisor, {}, b, LIST_COUNT_CAP)).toBe(all);
    expect(await countFiltered(t.ds.manager, supervisor, { status: 'accepted' } as never, b, LIST_COUNT_CAP)).toBe(accepted);
    // a cap below the county's cases: counting stops one past it
    expect(await countFiltered(t.ds.manager, supervisor, {}, b, 20)).toBe(21);
    expect(await countFiltered(t.ds.manager, supervisor, { status: 'accepted' } as never, b, accepted)).toBe(accepted);
  });

  it('count the badges exactly below the cap, and cap + 1 above it', async () => {
    const operator = await userOf('operator');
    const triage = await plain(`SELECT COUNT(*) AS n FROM cases WHERE countyCode = '141099' AND status IN ('registered', 'accepted')`);
    expect(triage).toBeGreaterThan(2);
    expect(await queueCount(t.ds.manager, operator, 'triage', NAV_COUNT_CAP)).toBe(triage);
    expect(await queueCount(t.ds.manager, operator, 'triage', 2)).toBe(3);
    const supervisor = await userOf('supervisor');
    for (let i = 0; i < 4; i++) await t.ds.query(`INSERT INTO notifications (userId, type, message, eventKey, createdAt) VALUES (?, 'test', '测试', ?, '2026-12-01 00:00:00.000')`, [supervisor.id, `cap-${i}`]);
    const unread = await plain('SELECT COUNT(*) AS n FROM notifications WHERE userId = ? AND readAt IS NULL', [supervisor.id]);
    expect(await unreadNoticeCount(t.ds.manager, supervisor, NAV_COUNT_CAP)).toBe(unread);
    expect(await unreadNoticeCount(t.ds.manager, supervisor, 3)).toBe(4);
  });

  it('show a badge past its cap as 999+', () => {
    expect(badgeText(0)).toBe(0);
    expect(badgeText(NAV_COUNT_CAP)).toBe(NAV_COUNT_CAP);
    expect(badgeText(NAV_COUNT_CAP + 1)).toBe('999+');
  });
});
