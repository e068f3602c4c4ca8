// Entry of the upload worker thread when the app runs from its TypeScript sources (tests, `npm run dev`).
// When dist/ holds a build of these very sources (scripts/build.js checks), its compiled worker is the same
// code and starts without compiling TypeScript; otherwise the sources through tsx. The compiled app starts
// dist/upload-worker.js itself.
const { isFresh } = require('../../scripts/build');
if (isFresh()) require('../../dist/upload-worker.js');
else {
  require('tsx/cjs');
  require('./upload-worker.ts');
}
