import 'reflect-metadata';
import { DataSource } from 'typeorm';
import * as readline from 'readline';
import { AuthService } from '../auth/auth.service';
import { AuditEvent } from '../audit/entities/audit-event.entity';
import { describeDatabase, loadConfigOrExit } from '../config/config';
import { createDataSource } from '../database/data-source';
import { migrateAtStart } from '../database/migrate';
import { PASSWORD_HINT, passwordProblem } from '../auth/password-policy';
import { Region } from '../regions/entities/region.entity';
import { User } from '../users/entities/user.entity';

export interface AdminInput {
  username: string;
  displayName: string;
  password: string;
  /** The region the administrator manages (a county's code); default: the database's only county. */
  region?: string;
}

/**
 * Creates an administrator (the first one on a production database, where nothing demo is
 * seeded). Refuses a weak password or a name already taken, with the reason.
 */
export async function createAdmin(ds: DataSource, input: AdminInput): Promise<User> {
  if (!/^[a-z][a-z0-9_.-]{2,39}$/.test(input.username)) throw new Error('用户名为3至40位小写字母、数字或 _ . -，以字母开头');
  const problem = passwordProblem(input.password, { username: input.username });
  if (problem) throw new Error(problem);
  if (!input.displayName || input.displayName.length < 2) throw new Error('姓名应为2至50个字');
  const repo = ds.getRepository(User);
  if (await repo.findOneBy({ username: input.username })) throw new Error(`用户名 ${input.username} 已存在`);
  const regions = ds.getRepository(Region);
  let region: Region | null;
  if (input.region) {
    region = await regions.findOneBy({ code: input.region });
    if (!region) throw new Error(`行政区划 ${input.region} 不存在：请先用 npm run region -- add 添加`);
  } else {
    const counties = await regions.findBy({ level: 'county' });
    if (counties.length !== 1) throw new Error(counties.length ? '数据库中有多个县：请用 --region 指定管理员所在的县（行政区划代码）' : '数据库中还没有县：请设置 COUNTY_CODE 启动一次，或用 npm run region -- add 添加');
    region = counties[0];
  }
  const now = new Date();
  const user = await repo.save(
    repo.create({ username: input.username, displayName: input.displayName, role: 'admin', regionCode: region.code, passwordHash: await AuthService.hashPassword(input.password), passwordChangedAt: now }),
  );
  await ds.getRepository(AuditEvent).save({ at: now, actorId: null, actorName: 'admin:create', action: 'user.create', targetType: 'user', targetId: String(user.id), detail: { username: user.username, role: 'admin', regionCode: region.code } });
  return user;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function ask(question: string, hidden = false): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Do not echo the password.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stdout.write(s);
    };
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer.trim());
    }),
  );
}

async function main() {
  const config = loadConfigOrExit();
  const interactive = process.stdin.isTTY;
  const username = arg('username') ?? (interactive ? await ask('管理员用户名（例如 admin）：') : 'admin');
  const displayName = arg('name') ?? (interactive ? await ask('姓名：') : '系统管理员');
  const password = process.env.ADMIN_PASSWORD ?? (interactive ? await ask(`密码（${PASSWORD_HINT}）：`, true) : '');
  if (!password) {
    console.error('没有密码：请在终端中运行，或设置环境变量 ADMIN_PASSWORD');
    process.exit(1);
  }
  const ds = createDataSource(config.database);
  await ds.initialize();
  try {
    // as the server starts: under the advisory lock, after a backup of a database that holds cases
    await migrateAtStart(ds, config.database);
    // a county named by COUNTY_CODE exists before its first administrator
    if (config.county && !(await ds.getRepository(Region).findOneBy({ code: config.county.code }))) {
      await ds.getRepository(Region).insert({ code: config.county.code, name: config.county.name, level: 'county', parentCode: null, bureauName: config.bureauName });
    }
    const user = await createAdmin(ds, { username, displayName, password, region: arg('region') });
    console.log(`已创建管理员 ${user.username}，管理 ${user.regionCode}（${describeDatabase(config.database)}）`);
  } catch (e) {
    console.error(`未创建：${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) void main();
