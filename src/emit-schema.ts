import 'reflect-metadata';
import fs from 'node:fs';
import { printSdl } from './shared/print-schema';
import { getSchema, SCHEMA_FILE } from './schema';

/** `npm run schema`: writes schema/schema.graphql from the code. */
async function main(): Promise<void> {
  fs.writeFileSync(SCHEMA_FILE, printSdl(await getSchema()));
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
