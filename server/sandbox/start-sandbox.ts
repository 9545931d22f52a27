import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { ClusterSandbox } from './cluster/cluster-sandbox.ts';
import { DockerSandbox } from './docker-sandbox.ts';
import type { HubState } from './hub/hub-answer.ts';
import type { HubCertificate } from './hub/hub-certificate.ts';
import type { HostGroupRecord, Sandbox } from './sandbox.ts';

/** A sandbox as the server composes it: the interface, and what the Docker Hub stand-in serves with. */
export interface PlatformSandbox extends Sandbox {
  readonly hubCertificate: HubCertificate;
  hubState(): Promise<HubState>;
}

/** The backend DRYDOCK_SANDBOX chooses: this machine's engine, or a Swarm of lab nodes. */
export function startSandbox(config: Config, log: Logger, adopting: readonly HostGroupRecord[] = []): Promise<PlatformSandbox> {
  return config.sandbox === 'cluster' ? ClusterSandbox.start(config, log, adopting) : DockerSandbox.start(config, log, adopting);
}
