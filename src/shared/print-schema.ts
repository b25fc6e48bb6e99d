import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** The committed SDL: sorted so that the file changes only when the schema does. */
export function printSdl(schema: GraphQLSchema): string {
  return `# Emitted from the code by \`npm run schema\`; do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
