import { runGroup } from '../utils/group';

// One of the HTTP tier's groups: which files it runs is decided in test/utils/groups.js.
runGroup(__filename);
