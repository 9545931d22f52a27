import type Docker from 'dockerode';
import { DrydockError } from '../errors/drydock-error.ts';
import { execInContainer, type ExecOptions, type ExecResult } from './exec.ts';
import { openDockerShell, SHELL_SOCKET } from './docker-shell.ts';
import { HOST_HUB_SCRIPT, hostHubEnv, type HostHub } from './hub/host-hub.ts';
import type { LabHost, Shell, TerminalSize } from './sandbox.ts';

/** A lab host backed by a container on the local engine. */
export class DockerLabHost implements LabHost {
  private readonly container: Docker.Container;
  /** Set once the host is on its session's network (see DockerHostGroup.introduceHosts). */
  address = '';

  constructor(
    docker: Docker,
    readonly containerId: string,
    public name: string,
  ) {
    this.container = docker.getContainer(containerId);
  }

  exec(cmd: string[], options?: ExecOptions): Promise<ExecResult> {
    return execInContainer(this.container, cmd, options);
  }

  openShell(size: TerminalSize): Promise<Shell> {
    return openDockerShell(this.container, size);
  }

  /** Blocks until the host's own engine answers (one exec that polls inside the host). */
  async waitForEngine(timeoutSeconds = 30): Promise<void> {
    const result = await this.exec(['drydock-wait-engine', String(timeoutSeconds)]);
    if (result.exitCode !== 0) {
      throw new DrydockError('DD_HOST_NOT_READY', `lab host ${this.name}: ${result.stderr.trim() || 'engine did not start'}`);
    }
  }

  /**
   * Sets the host's name (hostname, prompt, swarm node name), its session's addresses in
   * /etc/hosts (which the host's resolver serves to DNS questions too), and DRYDOCK_HOOKS_URL for login shells: where the platform receives registry
   * notifications from this session. With `hub`, Docker Hub's names lead to the platform's
   * stand-in at the session's gateway, so a pull the mirror cannot serve says why.
   */
  async introduce(hostsLines: readonly string[], hooksUrl: string, hub?: HostHub): Promise<void> {
    // Skips entries the engine already wrote (a cold host's own name), so each name appears once.
    const script = [
      'name=$1; hooks=$2; shift 2',
      'hostname "$name" && echo "$name" > /etc/hostname || exit 1',
      'echo "export DRYDOCK_HOOKS_URL=$hooks" > /etc/profile.d/drydock-hooks.sh',
      'for entry in "$@"; do set -- $entry',
      '  grep -qE "^$1[[:space:]]+$2\\$" /etc/hosts || echo "$1\t$2" >> /etc/hosts',
      'done',
      ...HOST_HUB_SCRIPT,
      // The host's resolver (see drydock-init) serves /etc/hosts: have it read the new names.
      'pkill -HUP -x dnsmasq || true',
    ].join('\n');
    const result = await this.exec(['sh', '-c', script, 'introduce', this.name, hooksUrl, ...hostsLines], { env: hostHubEnv(hub) });
    if (result.exitCode !== 0) throw new DrydockError('DD_HOST_NOT_READY', `could not set up lab host ${this.name}: ${result.stderr}`);
  }

  /**
   * Ends the dtach clients that a server which went away left attached to the learner's shell
   * (an exec's process outlives its closed connection). The shell itself stays; a client nobody
   * reads would only take its share of the shell's output. Execs have no parent in the host
   * (PPID 0), which tells them from dtach's own shell keeper.
   */
  async releaseOldShells(): Promise<void> {
    const script = `ps -eo pid=,ppid=,args= | awk '$2 == 0 && $3 == "dtach" && $5 == "${SHELL_SOCKET}" { print $1 }' | xargs -r kill`;
    await this.exec(['sh', '-c', script]);
  }

  /** Removes the container, and with it the host's disk (a tmpfs). */
  async remove(): Promise<void> {
    await this.container.remove({ force: true }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }
}
