/*
 * Reading the tsqueries the search builds (shared/search-matching.ts) in Node: which lexemes they
 * hold, for how common they are (search/lexeme-shares.ts) and where a text's snippet is cut.
 */

/** A tsquery's tree, as much of it as the search looks at. */
export type Tsquery =
  { kind: 'lexeme'; lexeme: string; prefix: boolean } | { kind: 'not'; operand: Tsquery } | { kind: 'and' | 'or'; operands: Tsquery[] };

/**
 * Parses a tsquery's text as PostgreSQL prints it (`'a' & ( 'b' | !'c':* ) <-> 'd'`). A phrase
 * (`<->`, `<N>`) counts as `&`: it matches no more rows than that.
 */
export function parseTsquery(text: string): Tsquery | null {
  const tokens = text.match(/'(?:[^'\\]|''|\\.)*'(?::[*A-Da-d]+)?|<\d*->|<\d+>|[&|!()]/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const binary = (kind: 'and' | 'or', operators: (token: string | undefined) => boolean, operand: () => Tsquery): Tsquery => {
    const operands = [operand()];
    while (operators(peek())) {
      at += 1;
      operands.push(operand());
    }
    return operands.length === 1 ? operands[0] : { kind, operands };
  };
  const isPhrase = (token: string | undefined) => token !== undefined && token.startsWith('<');
  const primary = (): Tsquery => {
    const token = tokens[at++];
    if (token === '!') return { kind: 'not', operand: primary() };
    if (token === '(') {
      const inner = or();
      at += 1; // ')'
      return inner;
    }
    if (token === undefined || !token.startsWith("'")) throw new Error(`unexpected ${token ?? 'end'} in tsquery ${text}`);
    const end = token.lastIndexOf("'");
    const lexeme = token.slice(1, end).replace(/''|\\(.)/g, (_, escaped: string | undefined) => escaped ?? "'");
    return { kind: 'lexeme', lexeme, prefix: token.slice(end).includes('*') };
  };
  const phrase = () => binary('and', isPhrase, primary);
  const and = () => binary('and', (token) => token === '&', phrase);
  const or = (): Tsquery => binary('or', (token) => token === '|', and);
  return tokens.length ? or() : null;
}

/** The lexemes a row's text matching `query` may contain: all but those under `!`. */
export function positiveLexemes(query: Tsquery | null): string[] {
  if (query === null || query.kind === 'not') return [];
  if (query.kind === 'lexeme') return [query.lexeme];
  return query.operands.flatMap(positiveLexemes);
}
