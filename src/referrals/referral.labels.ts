import type { Disposal, ReferralStatus } from './entities/referral.entity';

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  referred: '已移交待签收',
  acknowledged: '已签收',
  disposed: '已处置',
  resultReturned: '已反馈结果',
};

export const DISPOSAL_LABELS: Record<Disposal, string> = {
  talk: '谈话函询',
  preliminary: '初步核实',
  shelve: '暂存待查',
  close: '予以了结',
};

/** The referral's own small lifecycle: action → (from, to, who). */
export const REFERRAL_ACTIONS = {
  acknowledge: { label: '签收', from: ['referred'], to: 'acknowledged' },
  dispose: { label: '处置', from: ['acknowledged'], to: 'disposed' },
  'return-result': { label: '反馈办理结果', from: ['disposed'], to: 'resultReturned' },
  'notify-reporter': { label: '告知举报人受理情况', from: ['referred', 'acknowledged', 'disposed', 'resultReturned'], to: null },
  'feedback-reporter': { label: '向举报人反馈结果', from: ['resultReturned'], to: null },
} as const satisfies Record<string, { label: string; from: readonly ReferralStatus[]; to: ReferralStatus | null }>;
export type ReferralAction = keyof typeof REFERRAL_ACTIONS;
