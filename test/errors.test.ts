import { isDatabaseUnavailable } from '../src/db/unavailable';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

describe('errors', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    make.speaker(em, 'someone', make.country(em, 'KZ'));
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('masks an unexpected database failure: no SQL, no stack, a generic message', async () => {
    await h.orm.em.getConnection().execute('alter table speaker rename to speaker_hidden');
    try {
      const response = await h.post({ query: '{ speakers { totalCount } }' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: null,
        errors: [
          {
            message: 'Internal server error',
            locations: [{ line: 1, column: 3 }],
            path: ['speakers'],
            // The id also sent as X-Request-Id and logged with the error (test/observability.test.ts).
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: response.headers.get('x-request-id') },
          },
        ],
      });
    } finally {
      await h.orm.em.getConnection().execute('alter table speaker_hidden rename to speaker');
    }
    const after = await h.post({ query: '{ speakers { totalCount } }' });
    expect(after.body).toEqual({ data: { speakers: { totalCount: 1 } } });
  });

  it('answers malformed JSON with a JSON error, not an HTML page', async () => {
    const response = await h.post('{"query": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses bodies over the size limit', async () => {
    const response = await h.post({ query: `{ countries { code } } # ${'x'.repeat(200_000)}` });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ errors: [{ message: 'Request body is larger than 100kb', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('reports syntax errors as GRAPHQL_PARSE_FAILED', async () => {
    const response = await h.post({ query: '{ countries { code }' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: 'Syntax Error: Expected Name, found <EOF>.',
        locations: [{ line: 1, column: 21 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ]);
  });

  it('does not suggest field names to someone probing the schema', async () => {
    const response = await h.post({ query: '{ speakerz { totalCount } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: 'Cannot query field "speakerz" on type "Query".',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });

  it('refuses documents with too many tokens before executing them', async () => {
    const response = await h.post({ query: `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: countries { code }`).join(' ')} }` });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        // graphql-js's own wording, typo included.
        message: 'Syntax Error: Document contains more that 10000 tokens. Parsing aborted.',
        locations: [{ line: 1, column: expect.any(Number) }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ]);
  });

  it('rejects first over 100 with BAD_USER_INPUT and runs nothing', async () => {
    const { result, statements } = await h.countStatements(() =>
      h.execute('query($n: Int) { speakers(first: $n) { totalCount } }', { n: 101 }),
    );
    expect(result).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid argument: first must not be greater than 100',
          locations: [{ line: 1, column: 18 }],
          path: ['speakers'],
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'first',
            invalid: [{ field: 'first', problems: ['first must not be greater than 100'] }],
          },
        },
      ],
    });
    expect(statements).toBe(0);
  });
});

describe('what counts as the database being unavailable', () => {
  it("recognises a lost connection whatever statement knex names before pg's message", () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'BEGIN; - Connection terminated unexpectedly',
      'select 1 - Connection terminated due to connection timeout',
    ]) {
      expect([message, isDatabaseUnavailable(new Error(message))]).toEqual([message, true]);
    }
    expect(isDatabaseUnavailable(new Error('insert into x - duplicate key value violates unique constraint'))).toBe(false);
  });
});
