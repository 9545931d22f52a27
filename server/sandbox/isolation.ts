import type Docker from 'dockerode';
import { ENGINE_SOCKETS, type Config } from '../config/config.ts';
import { DrydockError } from '../errors/drydock-error.ts';

/** One sentence for the start-up log. */
export function describeIsolation(isolation: Config['isolation']): string {
  return isolation === 'userns'
    ? 'user-namespaced lab hosts: root in a host is an unprivileged uid on the machine'
    : "privileged lab hosts: root in a host is the machine's root (DRYDOCK_ISOLATION=privileged)";
}

/**
 * Checks that the engine gives lab hosts the isolation the config asks for (userns: the engine
 * remaps user namespaces, so root in every container is an unprivileged uid on the machine), and
 * refuses to start when it does not: Drydock never falls back to privileged hosts by itself, nor
 * runs privileged hosts where they cannot work.
 */
export async function assertIsolationAvailable(docker: Docker, config: Pick<Config, 'isolation' | 'dockerHost'>): Promise<void> {
  const info = (await docker.info()) as { SecurityOptions?: string[] };
  const engineRemaps = (info.SecurityOptions ?? []).some((o) => o === 'name=userns');
  if (config.isolation === 'userns' && !engineRemaps) {
    throw new DrydockError(
      'DD_ISOLATION_UNAVAILABLE',
      `DRYDOCK_ISOLATION=userns needs an engine that remaps user namespaces, and the one at ${config.dockerHost} does not ` +
        '(its `docker info` lists no userns under Security Options). Start the engine Drydock owns (as root: `bash scripts/engine.sh`) ' +
        `and point DRYDOCK_DOCKER_HOST at its socket (${ENGINE_SOCKETS.userns}), or start this engine with \`--userns-remap=default\`, ` +
        'or accept privileged lab hosts with DRYDOCK_ISOLATION=privileged (docs/security.md says what that allows).',
    );
  }
  if (config.isolation === 'privileged' && engineRemaps) {
    // Measured: a container that leaves a remapping engine's user namespace (--userns=host) gets
    // the capabilities but may not mount (EPERM), and a lab host must mount its disk.
    throw new DrydockError(
      'DD_ISOLATION_UNAVAILABLE',
      `DRYDOCK_ISOLATION=privileged needs an engine without user-namespace remapping, and the one at ${config.dockerHost} remaps: ` +
        "lab hosts could not mount their disk there. Point DRYDOCK_DOCKER_HOST at such an engine (the machine's own is usually " +
        `${ENGINE_SOCKETS.privileged}, and \`npm run images\` builds the images there), or use DRYDOCK_ISOLATION=userns.`,
    );
  }
}
