import type Docker from 'dockerode';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Logger } from '../logging/logger.ts';
import { LABHOST_IMAGE } from './images/catalog.ts';
import { labelsFor } from './labels.ts';

/** Who holds an owner's lease: enough for an operator to find that server. */
export interface LeaseHolder {
  pid: number;
  machine: string;
  port: number;
  since: string;
}

const HOLDER_LABEL = 'io.drydock.lease-holder';
/** A server killed a moment ago still holds its lease until the engine sees its connection close. */
const DEATH_GRACE_MS = 3_000;

/**
 * One live server per owner on an engine. The lease is a container, named for the owner, whose
 * only process reads its standard input, and the server holds that input open over an attach
 * connection. When the server dies, however it dies (`kill -9` included), the kernel closes the
 * connection, the process sees end of input, and the container exits and is removed. So a
 * running lease container means a live server, on this machine or any other using the engine,
 * and the engine's unique container names make taking it atomic.
 */
export class ServerLease {
  private stream: Duplex | undefined;
  private released = false;

  private constructor(
    private readonly docker: Docker,
    private readonly owner: string,
    private readonly holder: LeaseHolder,
    private readonly log: Logger,
  ) {}

  /** Takes the owner's lease, or fails naming the live server that holds it. */
  static async acquire(docker: Docker, owner: string, port: number, log: Logger): Promise<ServerLease> {
    const lease = new ServerLease(docker, owner, { pid: process.pid, machine: hostname(), port, since: new Date().toISOString() }, log);
    await lease.take();
    return lease;
  }

  get containerName(): string {
    return `drydock-${this.owner}-lease`;
  }

  /** Lets the lease go: the next server of this owner may start and sweep what this one leaves. */
  async release(): Promise<void> {
    this.released = true;
    this.stream?.end();
    this.stream?.destroy();
    await this.docker
      .getContainer(this.containerName)
      .remove({ force: true })
      .catch(() => {});
    // The engine may already be removing it (AutoRemove, once its stdin closed), and then refuses
    // a second removal: the lease is released when the container is gone (or the engine with it).
    for (let i = 0; i < 50; i++) {
      const gone = await this.docker
        .getContainer(this.containerName)
        .inspect()
        .then(
          () => false,
          (err: { statusCode?: number }) => err.statusCode === 404 || err.statusCode === undefined,
        );
      if (gone) return;
      await sleep(100);
    }
  }

  private async take(): Promise<void> {
    for (const deadline = Date.now() + DEATH_GRACE_MS; ;) {
      try {
        await this.createAndHold();
        return;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 409) throw err;
      }
      const current = await this.docker
        .getContainer(this.containerName)
        .inspect()
        .catch(() => undefined);
      if (current && !current.State.Running) {
        // Left by a server on an engine that went away before it could remove it.
        await this.docker
          .getContainer(this.containerName)
          .remove({ force: true })
          .catch(() => {});
        continue;
      }
      if (current && Date.now() > deadline) throw this.heldBy(current.Config.Labels?.[HOLDER_LABEL]);
      await sleep(200);
    }
  }

  private async createAndHold(): Promise<void> {
    const container = await this.docker.createContainer({
      name: this.containerName,
      Image: LABHOST_IMAGE,
      Entrypoint: ['cat'],
      Cmd: [],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      Labels: labelsFor(this.owner, 'lease', { [HOLDER_LABEL]: JSON.stringify(this.holder) }),
      HostConfig: { AutoRemove: true, NetworkMode: 'none', Memory: 16 * 1024 * 1024 },
    });
    try {
      const stream = (await container.attach({ stream: true, stdin: true, hijack: true })) as Duplex;
      await container.start();
      this.stream = stream;
      stream.on('error', () => {});
      stream.on('close', () => void this.lost());
    } catch (err) {
      await container.remove({ force: true }).catch(() => {});
      throw err;
    }
  }

  /** The engine went away (an engine restart ends every container): hold the lease again once it is back. */
  private async lost(): Promise<void> {
    for (let attempt = 0; !this.released; attempt++) {
      await sleep(Math.min(500 * 2 ** attempt, 5_000));
      if (this.released) return;
      try {
        await this.take();
        this.log.info({ owner: this.owner }, 'server lease held again after the engine came back');
        return;
      } catch (err) {
        if (err instanceof DrydockError) {
          this.log.error({ err }, 'another server took this owner while the engine was away');
          return;
        }
      }
    }
  }

  private heldBy(label: string | undefined): DrydockError {
    const holder = parseHolder(label);
    const who = holder
      ? `process ${holder.pid} on ${holder.machine} (port ${holder.port}, since ${holder.since})`
      : `the server that created container ${this.containerName}`;
    return new DrydockError(
      'DD_OWNER_IN_USE',
      `another Drydock server is running with owner "${this.owner}" on this Docker engine: ${who}. ` +
        'Stop it first, or give this server an owner of its own (DRYDOCK_OWNER=another-name, or --owner another-name); ' +
        "two servers of one owner would remove each other's lab hosts.",
    );
  }
}

function parseHolder(label: string | undefined): LeaseHolder | undefined {
  try {
    return label ? (JSON.parse(label) as LeaseHolder) : undefined;
  } catch {
    return undefined;
  }
}
