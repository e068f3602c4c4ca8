/**
 * Telephone numbers and e-mail addresses as people in 嘉兴 write them: a mobile (13800000000), a landline with
 * or without the area code and an extension (0573-82000000, 0573 8200 0000 转 123, (0573)82000000), or an
 * e-mail address. Pure.
 */
const digits = (s: string) => s.replace(/\D/g, '');

export function isTelephone(s: string): boolean {
  const t = s.trim();
  if (!/^[+\d][\d\s\-()（）]*(?:(?:转|ext\.?|x)\s*\d{1,6})?$/i.test(t)) return false;
  const main = digits(t.replace(/(?:转|ext\.?|x)\s*\d{1,6}$/i, ''));
  const local = main.replace(/^(?:0086|86)/, '');
  return (
    /^1[3-9]\d{9}$/.test(local) || /^0\d{9,11}$/.test(local) || /^[1-9]\d{6,7}$/.test(local) || /^400\d{7}$/.test(local)
  );
}

export function isEmail(s: string): boolean {
  return /^[^\s@<>()，,;；]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(s.trim()) && s.trim().length <= 100;
}

export const isContact = (s: string) => isTelephone(s) || isEmail(s);
