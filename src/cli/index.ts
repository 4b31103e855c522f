// Entry for `tsx src/cli/index.ts` and bin/bragbot.mjs.
import 'dotenv/config';
import './main.js';
