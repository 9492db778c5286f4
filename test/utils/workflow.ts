import { TestApp, apiToken } from './test-app';

/** API helpers for workflow tests: tokens per demo user and one call per action. */
export async function tokens(t: TestApp) {
  const [operator, supervisor, township1, township2, liaison, admin] = await Promise.all(
    ['operator', 'supervisor', 'township1', 'township2', 'liaison', 'admin'].map((u) => apiToken(t, u)),
  );
  return { operator, supervisor, township1, township2, liaison, admin };
}

export function act(t: TestApp, token: string, caseNo: string, action: string, body: object = {}) {
  return t.http().post(`/api/v1/cases/${caseNo}/actions/${action}`).set('Authorization', `Bearer ${token}`).send(body);
}

export async function getCase(t: TestApp, token: string, caseNo: string) {
  return (await t.http().get(`/api/v1/cases/${caseNo}`).set('Authorization', `Bearer ${token}`)).body;
}

export const VERIFY_BODY = {
  investigators: ['李晓梅', '张建华'],
  visitDate: '2026-09-24',
  methods: ['homeVisit', 'neighbourVisit'],
  findings: '经入户调查，该户共3人，丈夫瘫痪在床，家庭年收入低于当地低保标准。',
  outcome: 'true',
};

export const FEEDBACK_BODY = { method: 'phone', date: '2026-09-24', content: '已电话告知反映人核实结果，将按程序纳入低保。' };

/** 提交审核 with the township's draft of the reply to the reporter. */
export const SUBMIT_BODY = { replyDraft: '经入户核实，您家庭情况符合农村低保条件，已按程序纳入，请留意村委会公示。' };
