import { globalSetupPostgres } from './global-setup';

export default globalSetupPostgres;
