import { BadUserInputError } from '../errors';

/**
 * Relay global ids: opaque to clients, they name the type and the row (`Speaker:42`), encoded in
 * base64url so that clients don't parse them.
 */
const MAX_KEY = 2_147_483_647;

export function toGlobalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string): { type: string; id: number } {
  const decoded = /^[A-Za-z0-9_-]+$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const match = /^([A-Z][A-Za-z]*):([1-9][0-9]{0,9})$/.exec(decoded);
  // Keys are PostgreSQL `integer`s: a larger number was never issued and would fail in SQL.
  if (!match || Number(match[2]) > MAX_KEY) {
    throw new BadUserInputError(`"${globalId}" is not a valid id`, { argument: 'id' });
  }
  return { type: match[1], id: Number(match[2]) };
}
