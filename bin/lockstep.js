#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` (prepare) and `npm start` (prestart) build dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/harness/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('lockstep: dist/ is missing; run `npm run build` (npm ci does it for you)\n');
  process.exit(2);
}
const { runCli } = await import(cli.href);
await runCli(process.argv.slice(2));
