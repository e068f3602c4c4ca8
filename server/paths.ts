/**
 * Where the files read at run time are: views/, server/static/, server/rules/parameters/. The sources
 * (server/) and the build (dist/, scripts/build.js) both sit one folder below the project's root, so the
 * same path holds whether the app runs from TypeScript or from the compiled JavaScript.
 */
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
