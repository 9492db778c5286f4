/**
 * node -r dist/bench/profile-preload.js …: a CPU profile of the stretch between two SIGWINCH
 * signals (SIGWINCH: Nest's shutdown hooks take SIGUSR2), written to $PROFILE_OUT (a .cpuprofile, for Chrome DevTools or
 * `node dist/bench/profile-summary.js`). The bench's --profile sends the first signal before the
 * measured intake rounds and the second after them, so warm-up and start-up are not in it.
 * (--cpu-prof would need a normal exit, and Nest re-raises SIGTERM after its shutdown hooks.)
 */
import * as fs from 'fs';
import { Session } from 'inspector';

const out = process.env.PROFILE_OUT;
if (out) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, r) => {
      if (!err) fs.writeFileSync(out, JSON.stringify(r.profile));
      else process.stderr.write(`profile: ${err.message}\n`);
    });
  });
}
