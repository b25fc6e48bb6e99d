import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isEmail } from 'class-validator';
import { USER_CONSTRAINTS } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { Role, User } from '../auth/user.entity';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { ConflictError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { inTransaction } from '../shared/write-errors';

const USAGE = `Usage: npm run user:create -- --email EMAIL --password PASSWORD [--role ADMIN|ORGANISER|EDITOR] [--forum SLUG ...] [--name NAME]
Creates a user on DATABASE_URL, or on the embedded database of \`npm start\` (stop the server first).
The password may also come from the USER_PASSWORD environment variable, to keep it out of shell history.`;

/** `npm run user:create`: the way to create the first admin (later users: the createUser mutation). */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string', default: 'ADMIN' },
      forum: { type: 'string', multiple: true, default: [] },
      name: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const password = values.password ?? process.env.USER_PASSWORD;
  const role = String(values.role).toUpperCase() as Role;
  if (values.help || !values.email || !password) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (!Object.values(Role).includes(role)) throw new ConfigError(`--role must be one of ${Object.values(Role).join(', ')}`);
  if (password.length < 12) throw new ConfigError('--password must be at least 12 characters');
  if (!isEmail(values.email)) throw new ConfigError('--email must be an email address');

  const database = await openDatabase(loadConfig());
  try {
    const email = values.email.trim().toLowerCase();
    const user = await inTransaction(
      database.orm.em.fork(),
      async (em) => {
        if (await em.findOne(User, { email })) throw new ConfigError(`A user with email ${email} exists already`);
        const forums = await em.find(Forum, { slug: { $in: values.forum } });
        const unknown = values.forum.filter((slug) => !forums.some((f) => f.slug === slug));
        if (unknown.length) throw new ConfigError(`Unknown forum: ${unknown.join(', ')}`);
        // Hashed after the checks, so that a mistake is reported at once; nobody else waits for this connection.
        const created = em.create(User, { email, passwordHash: await hashPassword(password), role, displayName: values.name ?? null });
        created.forums.set(forums);
        return created;
      },
      USER_CONSTRAINTS,
    );
    process.stdout.write(`created ${role} ${email} (id ${user.id})\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError || error instanceof ConflictError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
