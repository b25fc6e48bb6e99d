export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const embedded = globals.__embeddedTestDatabase as { stop(): Promise<void> } | undefined;
  if (!embedded) return;
  await embedded.stop();
  // A process that runs jest again (Stryker's workers do, once per mutant) must not be sent to
  // the database stopped here: its next globalSetup starts another.
  delete globals.__embeddedTestDatabase;
  delete process.env.TEST_DATABASE_URL;
}
