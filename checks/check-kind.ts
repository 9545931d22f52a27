import type { z } from 'zod';
import type { EngineClient } from './engine/engine-client.ts';
import type { CheckedHost } from './host/checked-host.ts';
import type { HostFiles } from './host/host-files.ts';
import type { RegistryConnector } from './registry/registry-connector.ts';
import type { ReceivedEvent } from './registry/registry-event.ts';

/** What one check found: passed or not, and a sentence the learner can act on. */
export interface CheckOutcome {
  readonly passed: boolean;
  readonly message: string;
}

export const pass = (message: string): CheckOutcome => ({ passed: true, message });
export const fail = (message: string): CheckOutcome => ({ passed: false, message });

/** Everything a check may look at, from the point of view of one lab host. */
export interface CheckTarget {
  readonly host: CheckedHost;
  /** The host's own engine, through its Engine API. */
  readonly engine: EngineClient;
  /** Registries as a client in this host reaches them (`127.0.0.1:5000` means this host). */
  readonly registries: RegistryConnector;
  /** Files in the host (read through exec; only for files, never for engine state). */
  readonly files: HostFiles;
  /** Registry notifications the platform's receiver got from the session's hosts, oldest first. */
  readonly hooks: () => readonly ReceivedEvent[];
}

/**
 * One kind of check. Its parameter schema is what lab files are validated against (so a lab
 * with a wrong parameter never loads), and its `run` gets the parsed parameters.
 */
export interface CheckKind<P = unknown> {
  readonly name: string;
  /** One line for the format reference and `drydock lint`. */
  readonly summary: string;
  readonly params: z.ZodType<P>;
  /** What a passing check proves, in a learner's words, e.g. "a registry answers on 127.0.0.1:5000". */
  describe(params: P): string;
  run(params: P, target: CheckTarget): Promise<CheckOutcome>;
}

/** Declares a kind with its parameter types inferred from its schema. */
export function defineCheckKind<P>(kind: CheckKind<P>): CheckKind<P> {
  return Object.freeze(kind);
}
