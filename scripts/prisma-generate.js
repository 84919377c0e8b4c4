#!/usr/bin/env node
// Runs `prisma generate` offline. The Prisma 7 CLI tries to download its native schema engine at
// start even though generating the TypeScript client does not use it, and these machines cannot
// reach Prisma's download host. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file makes the
// CLI skip that download. We only do so when the variable is unset and no engine is installed.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const enginesDir = path.join(root, 'node_modules', '@prisma', 'engines');
  const installed = fs.existsSync(enginesDir)
    ? fs.readdirSync(enginesDir).find((name) => name.startsWith('schema-engine'))
    : undefined;
  if (!installed) env.PRISMA_SCHEMA_ENGINE_BINARY = __filename;
}
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
