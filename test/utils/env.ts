// Every test process: test mode, no demo seeding at start, a quiet Nest logger.
process.env.NODE_ENV = 'test';
process.env.DEMO_DATA = '0';
process.env.TZ = process.env.TZ || 'UTC';
