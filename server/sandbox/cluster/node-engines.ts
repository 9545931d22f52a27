import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DrydockError } from '../../errors/drydock-error.ts';

/** The server's client certificate, and the CA that signed every node engine's certificate. */
export interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Reads ca.pem, cert.pem and key.pem (the names `docker --tlsverify` uses) from a folder. */
export function readTlsMaterial(dir: string): TlsMaterial {
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file));
    } catch (cause) {
      throw new DrydockError('DD_CONFIG_INVALID', `DRYDOCK_CLUSTER_TLS_DIR: cannot read ${join(dir, file)} (${(cause as Error).message})`, { cause });
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

/** An engine API over mutual TLS; the node's certificate must name the address it is reached at. */
export function connectEngine(address: string, port: number, tls: TlsMaterial): Docker {
  return new Docker({ protocol: 'https', host: address, port, ...tls });
}

/** A node of the swarm as the manager reports it. */
export interface LabNode {
  id: string;
  /** The node's hostname: what learners and operators see. */
  name: string;
  /** Its Swarm address, where its engine API answers too. */
  address: string;
  /** Up, and taking new hosts (not paused, drained, or labelled drydock.hosts=no). */
  acceptsHosts: boolean;
  /** Whether the manager hears from it. */
  up: boolean;
}

/**
 * The node label that takes a node out of Drydock's service without touching Swarm's own
 * availability (which, when drained, would move running hosts and so empty them).
 */
export const NODE_OUT_OF_SERVICE = 'drydock.hosts';

/** The nodes of the swarm and a client for each node's engine, made once per node. */
export class ClusterNodes {
  private readonly engines = new Map<string, Docker>();

  constructor(
    readonly manager: Docker,
    private readonly tls: TlsMaterial,
    private readonly enginePort: number,
  ) {}

  async list(): Promise<LabNode[]> {
    return ((await this.manager.listNodes()) as SwarmNode[]).map(labNode);
  }

  /** One node, as the manager reports it now. */
  async get(id: string): Promise<LabNode> {
    return labNode((await this.manager.getNode(id).inspect()) as SwarmNode);
  }

  /** The engine of a node, for execs and terminals in the hosts it runs. */
  engine(node: Pick<LabNode, 'id' | 'address'>): Docker {
    let docker = this.engines.get(node.id);
    if (!docker) {
      docker = connectEngine(node.address, this.enginePort, this.tls);
      this.engines.set(node.id, docker);
    }
    return docker;
  }
}

function labNode(n: SwarmNode): LabNode {
  return {
    id: n.ID,
    name: n.Description?.Hostname ?? n.ID,
    // A manager may report 0.0.0.0 for itself (moby#35437); its manager address then holds it.
    address: n.Status?.Addr && n.Status.Addr !== '0.0.0.0' ? n.Status.Addr : (n.ManagerStatus?.Addr?.replace(/:\d+$/, '') ?? ''),
    up: n.Status?.State === 'ready',
    acceptsHosts: n.Status?.State === 'ready' && n.Spec?.Availability === 'active' && n.Spec?.Labels?.[NODE_OUT_OF_SERVICE] !== 'no',
  };
}

interface SwarmNode {
  ID: string;
  Description?: { Hostname?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Addr?: string };
  Spec?: { Availability?: string; Labels?: Record<string, string> };
}
