/** The backup commands' usage and options: light, so `quota --help` loads no database or archive code. */
export const BACKUP_USAGE = `  quota backup [--to DIR]     one archive of the database, raw uploads and audit checkpoints, while the app serves
                              (default DIR: BACKUP_DIR, else DATA_DIR/backups)
  quota backup verify ARCHIVE check every member's checksum without restoring (exit 2 when damaged or incomplete)
  quota restore ARCHIVE [--force]
                              restore into an empty DATA_DIR / database (stop the app first); --force replaces
                              an installation that holds data`;

export const BACKUP_COMMANDS = {
  backup: { options: { to: { type: 'string' } }, positionals: [0, 2] as [number, number] },
  restore: { options: { force: { type: 'boolean' } }, positionals: [1, 1] as [number, number] },
} as const;
