// Used by the TypeORM CLI only (migration:generate / migration:run).
import { loadConfig } from '../config/config';
import { createDataSource } from './data-source';

export default createDataSource(loadConfig().database);
