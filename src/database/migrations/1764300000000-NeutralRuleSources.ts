import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadline rules' sources as users should read them: the rule's own name, not the counties our
 * default values were taken from or our working documents. Only rules still carrying the old
 * default text change; a source an administrator edited is left as it is.
 */
const SOURCES: [string, string][] = [
  ['彭水县《2025年整治社会救助不到位工作方案》：受理不超过2个工作日', '《整治社会救助不到位工作方案》：受理不超过2个工作日'],
  ['彭水县《2025年整治社会救助不到位工作方案》：低保审核确认25个工作日；延期为县局默认', '《整治社会救助不到位工作方案》：低保审核确认25个工作日；延期为县局默认'],
  ['彭水县《2025年整治社会救助不到位工作方案》：低保边缘家庭25个工作日；延期为县局默认', '《整治社会救助不到位工作方案》：低保边缘家庭25个工作日；延期为县局默认'],
  ['彭水县《2025年整治社会救助不到位工作方案》：临时救助20个工作日；延期为县局默认', '《整治社会救助不到位工作方案》：临时救助20个工作日；延期为县局默认'],
  ['彭水县《2025年整治社会救助不到位工作方案》：特困人员认定30个工作日；延期为县局默认', '《整治社会救助不到位工作方案》：特困人员认定30个工作日；延期为县局默认'],
  ['宁夏规定（种子文件002）：投诉举报30个工作日办结，可延长至45个工作日', '社会救助投诉举报办理规定：30个工作日内办结，情况复杂的可延长至45个工作日'],
  ['DOMAIN §6：退回重办给予新的乡镇办理时限，默认10个工作日', '县局默认：退回重办给予新的乡镇办理时限，10个工作日'],
  ['文水县实施方案（种子文件000）：低保对象死亡后3个月内复核家庭情况（按90日计）', '重点问题整治实施方案：低保对象死亡后3个月内复核家庭情况（按90日计）'],
  ['种子文件002：任职后1个月内完成近亲属备案（按30日计）', '近亲属备案制度：任职后1个月内完成近亲属备案（按30日计）'],
];

export class NeutralRuleSources1764300000000 implements MigrationInterface {
  name = 'NeutralRuleSources1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const [old, now] of SOURCES) await q.query(`UPDATE "deadline_rules" SET "source" = ? WHERE "source" = ?`, [now, old]);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [old, now] of SOURCES) await q.query(`UPDATE "deadline_rules" SET "source" = ? WHERE "source" = ?`, [old, now]);
  }
}
