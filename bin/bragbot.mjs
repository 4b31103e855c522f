#!/usr/bin/env node
// bragbot runs from its TypeScript sources through tsx (no build step to forget);
// the Prisma clients are generated TypeScript too.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/index.ts');
