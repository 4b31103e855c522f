// `node --import ./tests/support/record-imports.mjs …`: appends the URL of every module the
// process imports (ESM resolution, which is how bragbot loads its dependencies) to the file
// named by BRAGBOT_RECORD_IMPORTS. Tests use it to check what a command loads.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.BRAGBOT_RECORD_IMPORTS } });
