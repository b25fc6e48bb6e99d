import { ConnectionType } from '../shared/paging';
import { Speaker } from './speaker.entity';

export const SpeakerConnection = ConnectionType(Speaker, 'Speaker');
