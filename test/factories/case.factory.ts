/** Valid intake bodies with overrides; each call gives a distinct person. */
import { idCheckDigit } from '../../src/common/identity';

let n = 0;

export function validIdNumber(birth = '19800101', seq = n % 1000): string {
  const first17 = `141099${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export function uniqueMobile(): string {
  n++;
  return `139${String(10000000 + ((n * 7919 + process.pid) % 89999999)).padStart(8, '0')}`;
}

export function helpRequestBody(overrides: Record<string, unknown> = {}) {
  n++;
  return {
    channel: 'hotline',
    kind: 'helpRequest',
    program: 'ruralDibao',
    problemTypes: [],
    reporterType: 'realName',
    reporterName: '测试人',
    reporterPhone: uniqueMobile(),
    reporterIdNumber: validIdNumber('19750315', n % 1000),
    reporterAddress: '城关镇东关社区1号',
    townshipId: 1,
    villageId: 1,
    content: `本人家庭困难，老伴卧病在床，申请办理农村低保（测试${n}）。`,
    urgency: 'normal',
    ...overrides,
  };
}

export function complaintBody(overrides: Record<string, unknown> = {}) {
  n++;
  return {
    channel: 'hotline',
    kind: 'complaint',
    program: 'ruralDibao',
    problemTypes: ['favouritism'],
    reporterType: 'anonymous',
    townshipId: 1,
    subjectName: '某某',
    subjectPost: '村主任',
    content: `举报村主任优亲厚友，把不符合条件的亲戚纳入低保（测试${n}）。`,
    ...overrides,
  };
}
