import type Docker from 'dockerode';
import { LABHOST_IMAGE } from './images/catalog.ts';

export interface OneShotResult {
  exitCode: number;
  /** Standard output and error together, as the container wrote them. */
  output: string;
}

/**
 * Runs a shell script to its end in a short-lived container of the lab-host image, which has the
 * tools the platform needs on the engine's side (iptables, openssl) wherever the server itself
 * runs (on the machine or in a container). The container is removed whatever happens.
 */
export async function runOneShot(docker: Docker, args: readonly string[], hostConfig: Docker.HostConfig = {}): Promise<OneShotResult> {
  const container = await docker.createContainer({
    Image: LABHOST_IMAGE,
    Entrypoint: ['sh', '-c', ...args],
    // A terminal: the logs come back as written, without the engine's stream framing.
    Tty: true,
    // The platform's own helper, not a learner's: on an engine that remaps user namespaces it
    // keeps the machine's (the firewall needs the machine's network namespace, which a remapped
    // container may not join).
    HostConfig: { AutoRemove: false, UsernsMode: 'host', ...hostConfig },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8').replace(/\r\n/g, '\n');
    return { exitCode: StatusCode, output };
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}
