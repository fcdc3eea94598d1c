// Generates the Prisma client offline. The CLI insists on a native schema engine before it will
// generate (it does not use it); pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops the
// download attempt. See ../shared/notes/prisma-offline.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('prisma/schema.prisma')) process.exit(0);
// A production install (npm ci --omit=dev) has no CLI: it runs dist/, which holds the compiled client.
if (!existsSync('node_modules/prisma/build/index.js')) {
  console.log('prisma CLI not installed (production install): skipping client generation');
  process.exit(0);
}
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? 'package.json', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
