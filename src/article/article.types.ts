import { ConnectionType } from '../shared/paging';
import { Article } from './article.entity';

export const ArticleConnection = ConnectionType(Article, 'Article');
