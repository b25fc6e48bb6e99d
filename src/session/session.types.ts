import { ConnectionType } from '../shared/paging';
import { Session } from './session.entity';

export const SessionConnection = ConnectionType(Session, 'Session');
