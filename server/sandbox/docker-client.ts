import Docker from 'dockerode';
import { DrydockError } from '../errors/drydock-error.ts';

/** Connects to the engine named in the config: a socket path or tcp://host:port. */
export function connectDocker(dockerHost: string): Docker {
  if (dockerHost.startsWith('tcp://') || dockerHost.startsWith('http://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return new Docker({ host: url.hostname, port: Number(url.port || 2375) });
  }
  return new Docker({ socketPath: dockerHost.replace(/^unix:\/\//, '') });
}

/** Fails with advice an operator can follow when no engine answers. */
export async function assertEngineAnswers(docker: Docker, dockerHost: string): Promise<void> {
  try {
    await docker.ping();
  } catch (cause) {
    throw new DrydockError(
      'DD_ENGINE_UNREACHABLE',
      `no Docker engine answers at ${dockerHost}. Start one (as root: \`bash scripts/engine.sh\`, ` +
        `or \`dockerd &\`), or point DRYDOCK_DOCKER_HOST at one.`,
      { cause },
    );
  }
}
