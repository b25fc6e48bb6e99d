import { getNamedType, GraphQLID, GraphQLString, isInputObjectType, isInterfaceType, isObjectType, type GraphQLInputType } from 'graphql';
import { isPerLanguage } from '../src/text-gate';
import { Role } from '../src/auth/user.entity';
import { seed } from '../src/db/seed';
import { getSchema } from '../src/schema';
import { ownTextRule, TEXT_RULES } from '../src/shared/text-rules';
import { startHarness, PUBLIC_BASE_URL, type Harness } from './helpers/harness';

/*
 * Text from outside passes one check before SQL (src/shared/text-rules.ts): NUL and other
 * control characters, lone surrogates and over-long strings are bad input wherever they come in.
 */

const NUL = '\u0000';

describe('text from outside', () => {
  let h: Harness;
  let organiser: string;

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
    organiser = await h.signIn(Role.ORGANISER, ['camf-2025']);
  });

  afterAll(async () => {
    await h?.close();
  });

  const count = async (table: string): Promise<number> =>
    Number((await h.orm.em.getConnection().execute(`select count(*)::int as n from "${table}"`))[0].n);

  describe('GraphQL: BAD_USER_INPUT naming the argument (and the input field when nested), HTTP 400', () => {
    const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
      ['forum(slug:)', 'query($v: String!) { forum(slug: $v) { id } }', { v: `camf${NUL}2025` }, { argument: 'slug' }],
      ['search(query:)', 'query($v: String!) { search(query: $v) { totalCount } }', { v: `форум${NUL}` }, { argument: 'query' }],
      ['country(code:)', 'query($v: String!) { country(code: $v) { code } }', { v: `K${NUL}` }, { argument: 'code' }],
      [
        'articles(filter: { speakerSlug: })',
        'query($v: String) { articles(filter: { speakerSlug: $v }) { totalCount } }',
        { v: `aida${NUL}` },
        { argument: 'filter', field: 'speakerSlug' },
      ],
      [
        'login(email:)',
        'mutation($v: String!) { login(email: $v, password: "a long enough password") { accessToken } }',
        { v: `a${NUL}@b.kz` },
        { argument: 'email' },
      ],
    ];
    it.each(cases)('%s with a NUL', async (_name, query, variables, names) => {
      const response = await h.post({ query, variables });
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', ...names });
      expect(response.body.errors[0].message).toMatch(/contains a control character/);
    });

    it('checks literals in the document as well as variables', async () => {
      const response = await h.post({ query: '{ forum(slug: "camf\\u00002025") { id } }' });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'slug' });
    });

    it('checks arguments of nested fields and inside fragments', async () => {
      const nested = await h.post({
        query:
          'query($z: String) { forum(slug: "camf-2025") { ...F } } fragment F on Forum { sessions(first: 1) { nodes { startsAtLocal(timeZone: $z) } } }',
        variables: { z: `Asia/Almaty${NUL}` },
      });
      expect(nested.status).toBe(400);
      expect(nested.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'timeZone' });
    });

    it('createSpeaker with a NUL in fields.fullName.ru: refused, nothing written', async () => {
      const speakers = await count('speaker');
      const audit = await count('audit_entry');
      const response = await h.post(
        {
          query: 'mutation($input: CreateSpeakerInput!) { createSpeaker(input: $input) { id } }',
          variables: {
            input: {
              forumSlug: 'camf-2025',
              fields: { slug: 'nul-speaker', fullName: { ru: `Имя${NUL}` }, position: { ru: 'Должность' }, countryCode: 'KZ' },
            },
          },
        },
        { authorization: organiser },
      );
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'fields.fullName.ru' });
      expect(await count('speaker')).toBe(speakers);
      expect(await count('audit_entry')).toBe(audit);
    });

    it.each([
      ['a lone high surrogate', 'camf\uD800', /lone UTF-16 surrogate/],
      ['a lone low surrogate', '\uDC00camf', /lone UTF-16 surrogate/],
      ['a line break in a one-line value', 'camf\n2025', /control character or a line break/],
      ['DEL', 'camf\u007F', /control character/],
      ['one character over the maximum', 'a'.repeat(TEXT_RULES.slug.maxLength + 1), /longer than 200 characters/],
    ])('refuses %s', async (_name, v, message) => {
      const response = await h.post({ query: 'query($v: String!) { forum(slug: $v) { id } }', variables: { v } });
      expect(response.status).toBe(400);
      expect(response.body.errors[0]).toMatchObject({
        message: expect.stringMatching(message),
        extensions: { code: 'BAD_USER_INPUT', argument: 'slug' },
      });
    });

    it('accepts what the rules allow: the maximum length, emoji, right-to-left text, line breaks in long text', async () => {
      const atMaximum = await h.post({
        query: 'query($v: String!) { forum(slug: $v) { id } }',
        variables: { v: 'a'.repeat(TEXT_RULES.slug.maxLength) },
      });
      expect(atMaximum.body).toEqual({ data: { forum: null } });
      const unusual = await h.post({
        query: 'query($v: String!) { search(query: $v) { totalCount } }',
        variables: { v: '🙂 مرحبا медиа' },
      });
      expect(unusual.body.errors).toBeUndefined();

      const response = await h.post(
        {
          query: 'mutation($input: CreateSpeakerInput!) { createSpeaker(input: $input) { slug bio } }',
          variables: {
            input: {
              forumSlug: 'camf-2025',
              fields: {
                slug: 'multi-line-bio',
                fullName: { ru: 'Имя 🙂' },
                position: { ru: 'Должность' },
                countryCode: 'KZ',
                bio: { ru: 'Строка 1\r\nСтрока 2\tи ещё' },
              },
            },
          },
        },
        { authorization: organiser, 'accept-language': 'ru' },
      );
      expect(response.body).toEqual({ data: { createSpeaker: { slug: 'multi-line-bio', bio: 'Строка 1\r\nСтрока 2\tи ещё' } } });
    });
  });

  describe('plain HTTP: 400 with a JSON error', () => {
    it.each([
      '/forums/camf%002025/agenda.ics',
      '/forums/camf%002025/schedule.json',
      '/forums/camf%002025/schedule.xml',
      '/forums/camf%002025/feed.xml',
      '/forums/camf%002025/feed.json',
      '/speakers/a%00b/agenda.ics',
      `/oembed?url=${encodeURIComponent(`${PUBLIC_BASE_URL}/articles/a${NUL}b`)}`,
      '/forums/camf-2025/agenda.ics?lang=r%01u',
      `/forums/${'a'.repeat(201)}/agenda.ics`,
    ])('%s', async (path) => {
      const response = await fetch(`${h.url}${path}`);
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', parameter: expect.any(String) });
    });

    it('keeps 404 for a well-formed slug that matches nothing', async () => {
      expect((await fetch(`${h.url}/forums/no-such-forum/agenda.ics`)).status).toBe(404);
      expect((await fetch(`${h.url}/forums/camf-2025/agenda.ics`)).status).toBe(200);
    });
  });

  it('imports: a CSV cell with a NUL is that row’s error, and nothing is written', async () => {
    const speakers = await count('speaker');
    const csv = `full_name_ru,position_ru,country\nИмя${NUL},Должность,KZ\nДругой,Должность,KZ\n`;
    const response = await fetch(`${h.url}/forums/camf-2025/speakers/import?dryRun=false`, {
      method: 'POST',
      headers: { authorization: organiser, 'content-type': 'text/csv' },
      body: csv,
    });
    const report = await response.json();
    expect(report.applied).toBe(false);
    expect(JSON.stringify(report)).toMatch(/fullName\.ru contains a control character/);
    expect(await count('speaker')).toBe(speakers);
  });

  it('every text argument and input field has a rule, and its description states the maximum', async () => {
    const schema = await getSchema();
    const missing: string[] = [];
    const perLanguage = new Set<string>();
    const visit = (typeName: string, name: string, holder: { type: GraphQLInputType; description?: string | null }) => {
      const named = getNamedType(holder.type);
      const rule = ownTextRule(typeName, name);
      if (isPerLanguage(named)) {
        if (!rule) missing.push(`${typeName}.${name} (no rule for its languages)`);
        perLanguage.add(named.name);
      }
      if (named !== GraphQLString && named !== GraphQLID) return;
      if (perLanguage.has(typeName)) return; // takes the rule of the field holding it
      if (!rule) missing.push(`${typeName}.${name}`);
      else if (!holder.description?.includes(`At most ${rule.maxLength.toLocaleString('en-US')} characters`))
        missing.push(`${typeName}.${name} (description)`);
    };
    // Per-language inputs first, so their kk/ru/en fields are known as such.
    const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
    for (const pass of [1, 2]) {
      for (const type of types) {
        if (isObjectType(type) || isInterfaceType(type))
          for (const field of Object.values(type.getFields())) for (const arg of field.args) visit(type.name, arg.name, arg);
        if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) visit(type.name, field.name, field);
      }
      if (pass === 1) missing.length = 0;
    }
    expect(missing).toEqual([]);
    expect([...perLanguage].sort()).toEqual(['ArticleTextInput', 'LocalizedTextInput']);
  });
});
