/**
 * The command line's own messages (usage mistakes, files written, files not found). The command line says
 * each in both languages at once, Chinese first (`bilingual` in server/i18n/t.ts); a value the message is
 * about follows the pair. Taken into zh-CN.ts and en.ts.
 */
export const cliMessagesZhCN = {
  'cli.message.helpPointer': '运行 quota --help 查看用法',
  'cli.message.noCommand': '缺少命令',
  'cli.message.unknownCommand': '未知命令',
  'cli.message.badOption': '选项有误',
  'cli.message.missingArgument': '缺少参数',
  'cli.message.unexpectedArgument': '多余的参数',
  'cli.message.unknownSubcommand': '未知子命令',
  'cli.message.severalFilesNeedJson': 'check：检查多个文件（{file} …）需要 --json，每个工作簿输出一行',
  'cli.message.fileNotFound': '找不到文件',
  'cli.message.annotatedWritten': '已写出标注工作簿',
  'cli.message.lateFeeNeeds': 'late-fee：需要 --amount、--due 和 --paid',
  'cli.message.templateWritten': '已生成模板',
  'cli.message.migrated': '已迁移到最新',
  'cli.message.rolledBack': '已全部回滚',
  'cli.message.nothingToDo': '无变化',
  'cli.message.cannotRead': '无法读取文件',
};

export const cliMessagesEn: Record<keyof typeof cliMessagesZhCN, string> = {
  'cli.message.helpPointer': 'run quota --help for usage',
  'cli.message.noCommand': 'no command given',
  'cli.message.unknownCommand': 'unknown command',
  'cli.message.badOption': 'bad option',
  'cli.message.missingArgument': 'missing argument',
  'cli.message.unexpectedArgument': 'unexpected argument',
  'cli.message.unknownSubcommand': 'unknown subcommand',
  'cli.message.severalFilesNeedJson': 'several files ({file} …) need --json: one JSON line per workbook',
  'cli.message.fileNotFound': 'file not found',
  'cli.message.annotatedWritten': 'annotated workbook written',
  'cli.message.lateFeeNeeds': 'late-fee needs --amount, --due and --paid',
  'cli.message.templateWritten': 'template written',
  'cli.message.migrated': 'migrated to latest',
  'cli.message.rolledBack': 'rolled back',
  'cli.message.nothingToDo': 'nothing to do',
  'cli.message.cannotRead': 'cannot read the file',
};
