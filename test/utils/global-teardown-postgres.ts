import { globalTeardownPostgres } from './global-setup';

export default globalTeardownPostgres;
