import { z } from 'zod';

/**
 * The parts of Engine API answers that checks read. Parsed at the boundary (unknown fields are
 * dropped), so the kinds work with typed values. Field names are the API's own.
 */
export const containerSummary = z.object({
  Id: z.string(),
  Names: z.array(z.string()),
  Image: z.string(),
  State: z.string(),
  Ports: z.array(z.object({ IP: z.string().optional(), PrivatePort: z.number(), PublicPort: z.number().optional(), Type: z.string() })).default([]),
});
export type ContainerSummary = z.output<typeof containerSummary>;

export const containerDetails = z.object({
  Id: z.string(),
  Name: z.string(),
  State: z.object({ Running: z.boolean(), Status: z.string() }),
  Config: z.object({ Image: z.string(), Env: z.array(z.string()).nullable().default([]) }),
  HostConfig: z.object({ RestartPolicy: z.object({ Name: z.string() }).optional() }),
  Mounts: z.array(z.object({ Type: z.string(), Source: z.string().default(''), Destination: z.string(), Name: z.string().optional() })).default([]),
});
export type ContainerDetails = z.output<typeof containerDetails>;

export const imageDetails = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()).nullable().default([]),
  RepoDigests: z.array(z.string()).nullable().default([]),
});
export type ImageDetails = z.output<typeof imageDetails>;

export const engineInfo = z.object({
  RegistryConfig: z
    .object({
      InsecureRegistryCIDRs: z.array(z.string()).nullable().default([]),
      IndexConfigs: z.record(z.string(), z.object({ Secure: z.boolean(), Mirrors: z.array(z.string()).nullable().default([]) })).default({}),
      Mirrors: z.array(z.string()).nullable().default([]),
    })
    .optional(),
  Swarm: z
    .object({
      LocalNodeState: z.string(),
      ControlAvailable: z.boolean().default(false),
      NodeID: z.string().default(''),
      Nodes: z.number().optional(),
      Managers: z.number().optional(),
    })
    .optional(),
});
export type EngineInfo = z.output<typeof engineInfo>;

export const swarmNode = z.object({
  ID: z.string(),
  Spec: z.object({ Role: z.string(), Availability: z.string(), Labels: z.record(z.string(), z.string()).default({}) }),
  Description: z.object({ Hostname: z.string() }),
  Status: z.object({ State: z.string() }),
});
export type SwarmNode = z.output<typeof swarmNode>;

const portConfig = z.object({
  Protocol: z.string().default('tcp'),
  TargetPort: z.number(),
  PublishedPort: z.number().optional(),
  PublishMode: z.string().default('ingress'),
});

export const swarmService = z.object({
  ID: z.string(),
  Spec: z.object({
    Name: z.string(),
    TaskTemplate: z.object({
      ContainerSpec: z.object({ Image: z.string() }).optional(),
      Placement: z.object({ Constraints: z.array(z.string()).nullable().default([]) }).optional(),
    }),
    Mode: z.object({ Replicated: z.object({ Replicas: z.number().default(1) }).optional(), Global: z.object({}).optional() }),
  }),
  Endpoint: z.object({ Ports: z.array(portConfig).default([]) }).default({ Ports: [] }),
});
export type SwarmService = z.output<typeof swarmService>;

export const swarmTask = z.object({
  ID: z.string(),
  NodeID: z.string().default(''),
  DesiredState: z.string(),
  Status: z.object({ State: z.string() }),
});
export type SwarmTask = z.output<typeof swarmTask>;
