/**
 * Started by `npm run bench:load` in a process group of its own: waits for the bench to end,
 * however it ends (finished, Ctrl-C, killed: tsx turns a signal the bench is slow to confirm
 * under load into SIGKILL), then removes every container, network and volume of the bench's
 * owner. Normally the bench has removed them already and this finds nothing.
 *   node --import tsx bench/load-reaper.ts PID OWNER
 */
import { connectDocker } from '../server/sandbox/docker-client.ts';
import { sweepOwner } from '../server/sandbox/sweep.ts';
import { loadConfig } from '../server/config/config.ts';

const [pidArg, owner] = process.argv.slice(2);
const pid = Number(pidArg);

function alive(): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const timer = setInterval(async () => {
  if (alive()) return;
  clearInterval(timer);
  const config = loadConfig(process.env, { owner: owner! });
  const swept = await sweepOwner(connectDocker(config.dockerHost), owner!);
  if (swept.containers + swept.networks > 0) console.log(`load-reaper: removed what the bench left: ${JSON.stringify(swept)}`);
}, 1000);
