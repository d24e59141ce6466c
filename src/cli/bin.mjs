#!/usr/bin/env node
// The `optigem-sync` command: loads the TypeScript sources through tsx (the project ships no
// build of the CLI) and runs it. `npx tsx src/cli/main.ts …` does the same without this file.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
await runCli();
