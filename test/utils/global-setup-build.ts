import { execFileSync } from 'child_process';
import * as path from 'path';
import globalSetup from './global-setup';

/** The multi-process tier also needs the compiled app, which it starts as separate processes. */
export default async function globalSetupWithBuild() {
  await globalSetup();
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
}
