// Writes the JSON Schemas generated from the zod schemas: the job document format
// (docs/job-format.schema.json, from src/runner/job-document.ts) and the CLI's --json output of
// simulate/run (docs/cli-report.schema.json, from src/cli/report.ts).
//
//   node scripts/job-schema.mjs           write both files
//   node scripts/job-schema.mjs --check   exit 1 if a committed file differs from the schema
//
// tests/runner/job-document.test.ts checks the same, so a schema change without regenerating
// fails the test suite.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { jobDocumentJsonSchema } = await import('../src/runner/job-document.ts');
const { cliReportJsonSchema } = await import('../src/cli/report.ts');

const files = [
  ['docs/job-format.schema.json', jobDocumentJsonSchema()],
  ['docs/cli-report.schema.json', cliReportJsonSchema()],
];

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, schema] of files) {
  const path = resolve(root, file);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      stale++;
      process.stderr.write(`${file} is out of date: run node scripts/job-schema.mjs\n`);
    }
  } else {
    writeFileSync(path, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
