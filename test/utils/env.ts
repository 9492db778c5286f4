import { TEST_CLOCK_START } from './clock';

// Every test process: test mode, no demo seeding at start, a quiet Nest logger, and the app's
// clock started at a fixed instant whatever the machine's date is.
process.env.NODE_ENV = 'test';
process.env.DEMO_DATA = '0';
process.env.TZ = process.env.TZ || 'UTC';
process.env.CLOCK_START = TEST_CLOCK_START;
// the county a test database starts with (the demo county's code)
process.env.COUNTY_CODE = '141099';
process.env.COUNTY_NAME = '清源县';
