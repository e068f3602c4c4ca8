/**
 * The sources a rule can cite (the Sources table of docs/rules.md). A typo in a clause id fails the type check.
 * Clause ids of 嘉政发〔2016〕46号 follow its numbering: J3.1 = 三、（一）, J2.2.4 = 二、（二）4.
 */
export const CLAUSES = {
  'J2.2.4': {
    zh: '嘉政发〔2016〕46号 二、（二）4 残疾人社会保险补贴',
    en: 'Jiaxing 2016/46 §2.2.4 social-insurance subsidies',
  },
  'J3.1': { zh: '嘉政发〔2016〕46号 三、（一）推进残疾人集中就业', en: 'Jiaxing 2016/46 §3.1 concentrated employment' },
  'J3.2': {
    zh: '嘉政发〔2016〕46号 三、（二）实施残疾人按比例就业',
    en: 'Jiaxing 2016/46 §3.2 proportional employment',
  },
  'J3.3': {
    zh: '嘉政发〔2016〕46号 三、（三）鼓励残疾人就业创业',
    en: 'Jiaxing 2016/46 §3.3 employment and entrepreneurship',
  },
  'J3.4': {
    zh: '嘉政发〔2016〕46号 三、（四）优化残疾人就业服务',
    en: 'Jiaxing 2016/46 §3.4 employment services and training',
  },
  'J3.5': {
    zh: '嘉政发〔2016〕46号 三、（五）加强农村残疾人精准帮扶',
    en: 'Jiaxing 2016/46 §3.5 rural poverty relief',
  },
  L72: { zh: '财税〔2015〕72号 残疾人就业保障金征收使用管理办法', en: 'MoF 2015/72 levy rules' },
  L52: { zh: '财税〔2016〕52号 促进残疾人就业增值税优惠政策', en: 'MoF 2016/52 VAT refund' },
  L121: { zh: '财税〔2010〕121号 安置残疾人单位城镇土地使用税', en: 'MoF 2010/121 land-use tax relief' },
  L18: { zh: '财税〔2017〕18号 工资上限3倍、30人以下企业免征', en: 'MoF 2017/18 3× wage cap, ≤30 staff exemption' },
  L39: { zh: '财税〔2018〕39号 工资上限2倍', en: 'MoF 2018/39 2× wage cap' },
  L98: {
    zh: '财政部公告2019年第98号（延续至2027-12-31）分档减缴、小微企业免征',
    en: 'MoF notice 2019/98 tiered reduction (extended to 2027-12-31)',
  },
  L122: { zh: '财税〔2014〕122号 创业3年内小微企业免征', en: 'MoF 2014/122 start-up exemption' },
  R24: { zh: '全国人大常委会关于实施渐进式延迟法定退休年龄的决定', en: 'NPC 2024 gradual retirement-age decision' },
  CDPF63: {
    zh: '残联厅函〔2022〕63号 按比例就业联网认证“跨省通办”有关事项',
    en: 'CDPF 2022/63 nationwide online verification of quota employment',
  },
  ZJ: { zh: '浙江省按比例安排残疾人就业办法及最低工资标准通知', en: 'Zhejiang quota rules and minimum-wage notices' },
} as const;

export type ClauseId = keyof typeof CLAUSES;

export function isClauseId(s: string): s is ClauseId {
  return Object.prototype.hasOwnProperty.call(CLAUSES, s);
}
