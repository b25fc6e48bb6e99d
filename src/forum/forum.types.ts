import { ConnectionType } from '../shared/paging';
import { Forum } from './forum.entity';

export const ForumConnection = ConnectionType(Forum, 'Forum');
