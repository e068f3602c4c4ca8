/**
 * The words of the top navigation: short labels, so the officer's row fits one line at 1366 px in both
 * languages, and the administrator's system pages grouped under one menu; the punctuation set around a figure or a
 * name in a page, which differs between the languages. zh-CN.ts and en.ts take them in.
 */
export const navZhCN = {
  'nav.label': '主导航',
  'nav.review': '残联审核',
  'nav.missing': '未报送单位',
  'nav.register': '用人单位名录',
  'nav.admin': '系统管理',
  // punctuation around a figure or a name, so an English page does not carry full-width Chinese marks
  'punct.colon': '：',
  'punct.open': '（',
  'punct.close': '）',
  'register.fileFor': '名录文件（{y}年度）',
};

export const navEn: Record<keyof typeof navZhCN, string> = {
  'nav.label': 'Main navigation',
  'nav.review': 'Review',
  'nav.missing': 'Not submitted',
  'nav.register': 'Register',
  'nav.admin': 'Administration',
  'punct.colon': ': ',
  'punct.open': ' (',
  'punct.close': ')',
  'register.fileFor': 'Register file (data year {y})',
};
