// Entry of the upload worker thread: TypeScript through tsx, as bin/quota.js does for the CLI.
require('tsx/cjs');
require('./upload-worker.ts');
