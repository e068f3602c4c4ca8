/**
 * The words of the error page's heading: what kind of stop it is, in words (UX.md §4: nothing shows an HTTP
 * code alone); the page's text below it says what to do. Both languages under the same keys; zh-CN.ts and
 * en.ts take them in.
 */
export const errorPageZhCN = {
  'errorPage.title.400': '请求有误',
  'errorPage.title.403': '无权访问',
  'errorPage.title.404': '页面不存在',
  'errorPage.title.409': '无法办理',
  'errorPage.title.413': '文件过大',
  'errorPage.title.422': '填写有误',
  'errorPage.title.other': '系统出错',
  'errorPage.code': '错误代码：{n}',
};

export const errorPageEn: Record<keyof typeof errorPageZhCN, string> = {
  'errorPage.title.400': 'The request could not be read',
  'errorPage.title.403': 'Not allowed',
  'errorPage.title.404': 'Page not found',
  'errorPage.title.409': 'This cannot be done',
  'errorPage.title.413': 'The file is too large',
  'errorPage.title.422': 'Something entered needs correcting',
  'errorPage.title.other': 'Something went wrong',
  'errorPage.code': 'Error code: {n}',
};
