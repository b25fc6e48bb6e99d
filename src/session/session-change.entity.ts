import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Forum } from '../forum/forum.entity';

/**
 * The latest change of each session in a forum's agenda, written only by database triggers
 * (never by the ORM), so that every write path (API, seeds, imports, SQL by hand) feeds the
 * change feed. A removed session stays as a tombstone. Read by `agendaChanges`.
 */
@Entity({ tableName: 'session_change' })
@Index({ properties: ['forum', 'version'] })
export class SessionChange {
  @ManyToOne(() => Forum, { primary: true, deleteRule: 'cascade' })
  forum!: Forum;

  /** Not a foreign key: the session may be gone. */
  @PrimaryKey({ type: 'integer', autoincrement: false })
  sessionId!: number;

  /** The forum's scheduleVersion that this change produced. */
  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'boolean' })
  removed!: boolean;
}
