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

/** Socket errors that mean the engine itself is gone (stopped, restarting), not that a request was wrong. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

export function isEngineUnreachable(err: unknown): boolean {
  return UNREACHABLE.has((err as { code?: string } | undefined)?.code ?? '');
}

/** Whether the engine answers a ping within a couple of seconds; what is wrong if it does not. */
export async function engineProblem(docker: Docker, dockerHost: string): Promise<string | undefined> {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 2_000, 'timeout').unref());
  const answer = await Promise.race([
    docker.ping().then(
      () => 'ok' as const,
      () => 'down' as const,
    ),
    timeout,
  ]);
  return answer === 'ok' ? undefined : `the Docker engine at ${dockerHost} does not answer`;
}
