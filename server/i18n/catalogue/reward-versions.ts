/**
 * The words that tell an employer what a new version does to the reward application of the version it
 * supersedes (J3 reward claims, docs/rules.md §13), in both languages under the same keys; zh-CN.ts and
 * en.ts take them in.
 */
export const rewardVersionsZhCN = {
  'confirm.claimSuperseded': '第 {v} 版报送的奖励申请（{amount}，{status}）将被本次报送取代，不再审批或发放。',
};

export const rewardVersionsEn: Record<keyof typeof rewardVersionsZhCN, string> = {
  'confirm.claimSuperseded':
    'The reward application that came with version {v} ({amount}, {status}) will be superseded by this submission and no longer be decided or paid.',
};
