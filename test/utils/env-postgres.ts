// The PostgreSQL projects: the same tests, on the server the global set-up started. Set before
// anything of the app loads, since the engine decides the entities' column types (engine.ts).
process.env.DUBAN_TEST_ENGINE = 'postgres';
process.env.DATABASE_URL = 'postgres://postgres@localhost/duban_unset';
import './env';
