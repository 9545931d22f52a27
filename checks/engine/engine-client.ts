import type http from 'node:http';
import { z } from 'zod';
import { ENGINE_API_PORT } from '../../shared/platform.ts';
import type { CheckedHost } from '../host/checked-host.ts';
import { ProbeFailure } from '../probe-failure.ts';
import { httpRequest } from '../support/http-request.ts';
import {
  containerDetails,
  containerSummary,
  engineInfo,
  imageDetails,
  swarmNode,
  swarmService,
  swarmTask,
  type ContainerDetails,
  type ContainerSummary,
  type EngineInfo,
  type ImageDetails,
  type SwarmNode,
  type SwarmService,
  type SwarmTask,
} from './engine-types.ts';

/** Engine API filters, e.g. `{ name: ['^/registry$'] }`. */
export type Filters = Record<string, string[]>;

/**
 * The Engine API of one lab host's own engine, over its relay on the session network, with a
 * keep-alive agent. Paths carry no API version: the engine answers with its own, and the fields
 * read here exist in all versions since Engine 20.10. Read-only.
 */
export class EngineClient {
  constructor(
    private readonly host: Pick<CheckedHost, 'name' | 'address'>,
    private readonly agent: http.Agent,
    private readonly timeoutMs: number,
  ) {}

  containers(filters: Filters, all = true): Promise<ContainerSummary[]> {
    return this.get(`/containers/json?all=${all}&filters=${query(filters)}`, z.array(containerSummary)).then((l) => l ?? []);
  }

  container(id: string): Promise<ContainerDetails | undefined> {
    return this.get(`/containers/${encodeURIComponent(id)}/json`, containerDetails);
  }

  /** An image by reference (`127.0.0.1:5000/hello-world` means its `latest` tag) or ID. */
  image(reference: string): Promise<ImageDetails | undefined> {
    return this.get(`/images/${encodeURIComponent(reference)}/json`, imageDetails);
  }

  info(): Promise<EngineInfo> {
    return this.get('/info', engineInfo).then((i) => i ?? {});
  }

  nodes(): Promise<SwarmNode[]> {
    return this.get('/nodes', z.array(swarmNode)).then((l) => l ?? []);
  }

  services(filters: Filters): Promise<SwarmService[]> {
    return this.get(`/services?filters=${query(filters)}`, z.array(swarmService)).then((l) => l ?? []);
  }

  tasks(filters: Filters): Promise<SwarmTask[]> {
    return this.get(`/tasks?filters=${query(filters)}`, z.array(swarmTask)).then((l) => l ?? []);
  }

  /** A parsed answer, undefined for 404; anything else unexpected is a ProbeFailure. */
  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const res = await httpRequest({
      tls: false,
      address: this.host.address,
      port: ENGINE_API_PORT,
      path,
      agent: this.agent,
      timeoutMs: this.timeoutMs,
    }).catch((err: NodeJS.ErrnoException) => {
      throw new ProbeFailure(
        `the Docker engine of ${this.host.name} does not answer (${err.code ?? err.message}): if it is restarting, try again in a moment`,
      );
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) {
      throw new ProbeFailure(`the Docker engine of ${this.host.name} says: ${engineMessage(res.body) ?? `status ${res.status}`}`);
    }
    const parsed = schema.safeParse(JSON.parse(res.body));
    if (!parsed.success) throw new Error(`unexpected answer to GET ${path} from the engine of ${this.host.name}: ${parsed.error.message}`);
    return parsed.data;
  }
}

const query = (filters: Filters): string => encodeURIComponent(JSON.stringify(filters));

function engineMessage(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { message?: string }).message?.trim();
  } catch {
    return undefined;
  }
}
