import { DataSource } from 'typeorm';
import { createAdmin } from '../../src/cli/admin-create';
import { addRegion, setParent } from '../../src/cli/region';
import { createDataSource } from '../../src/database/data-source';
import { testDatabase, type TestDatabase } from '../utils/engine';
import { copyTemplate } from '../utils/test-app';

/** `npm run region` and `npm run admin:create -- --region`: how a second county comes into a database. */
describe('adding a county and its first administrator', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const PASSWORD = 'Qinghe county bureau 2026';

  beforeAll(async () => {
    db = await testDatabase('demo', copyTemplate);
    ds = createDataSource(db.target);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('refuses a code of the wrong shape or level, a missing parent and a duplicate, writing nothing', async () => {
    const before = Number((await ds.query('SELECT COUNT(*) AS n FROM regions'))[0].n);
    await expect(addRegion(ds, { code: '14109', name: '清河县', level: 'county', parent: '141000' })).rejects.toThrow('六位数字');
    await expect(addRegion(ds, { code: '141000', name: '清河县', level: 'county', parent: '141000' })).rejects.toThrow('不是县级行政区划的代码');
    await expect(addRegion(ds, { code: '141098', name: '清河县', level: 'county', parent: '149900' })).rejects.toThrow('上级行政区划 149900 不存在');
    await expect(addRegion(ds, { code: '141099', name: '清源县', level: 'county', parent: '141000' })).rejects.toThrow('已存在');
    await expect(addRegion(ds, { code: '140000', name: '山西省', level: 'province' })).rejects.toThrow('已存在');
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM regions'))[0].n)).toBe(before);
  });

  it('adds a county under the prefecture, and its administrator manages that county', async () => {
    const r = await addRegion(ds, { code: '141098', name: '清河县', level: 'county', parent: '141000' });
    expect(r).toMatchObject({ code: '141098', level: 'county', parentCode: '141000', bureauName: '清河县民政局' });
    // two counties now: an administrator needs to be told which
    await expect(createAdmin(ds, { username: 'qhadmin', displayName: '清河管理员', password: PASSWORD })).rejects.toThrow('请用 --region 指定');
    await expect(createAdmin(ds, { username: 'qhadmin', displayName: '清河管理员', password: PASSWORD, region: '141097' })).rejects.toThrow('141097 不存在');
    const admin = await createAdmin(ds, { username: 'qhadmin', displayName: '清河管理员', password: PASSWORD, region: '141098' });
    expect(admin.regionCode).toBe('141098');
  });

  it('puts a county that stood alone under its prefecture, and refuses a parent that is missing or not above it', async () => {
    await addRegion(ds, { code: '141096', name: '清溪县', level: 'county' });
    await expect(setParent(ds, '141096', '149900')).rejects.toThrow('上级行政区划 149900 不存在');
    await expect(setParent(ds, '141096', '141099')).rejects.toThrow('县级不能设在县级');
    await expect(setParent(ds, '141095', '141000')).rejects.toThrow('141095 不存在');
    expect((await setParent(ds, '141096', '141000')).parentCode).toBe('141000');
  });
});
