import type { CheckKind } from '../check-kind.ts';
import { certificateMatchesKey } from './certificate-matches-key.ts';
import { certificateValidFor } from './certificate-valid-for.ts';
import { command } from './command.ts';
import { containerRunning } from './container-running.ts';
import { daemonConfig } from './daemon-config.ts';
import { daemonTrustsCa } from './daemon-trusts-ca.ts';
import { fileExists } from './file-exists.ts';
import { imageAbsent } from './image-absent.ts';
import { imagePresent } from './image-present.ts';
import { registryAnswers } from './registry-answers.ts';
import { registryHasRepo } from './registry-has-repo.ts';
import { registryAllowsDeletes } from './registry-allows-deletes.ts';
import { registryHasTag } from './registry-has-tag.ts';
import { registryReadOnly } from './registry-read-only.ts';
import { registryRequiresAuth } from './registry-requires-auth.ts';
import { registryServesTls } from './registry-serves-tls.ts';
import { swarmActive } from './swarm-active.ts';
import { swarmNode } from './swarm-node.ts';
import { swarmService } from './swarm-service.ts';
import { webhookReceived } from './webhook-received.ts';

/** Every check kind a lab may name, by name. Adding a kind: one file here, one line below. */
export const CHECK_KINDS: ReadonlyMap<string, CheckKind> = new Map(
  [
    registryAnswers,
    registryHasRepo,
    registryHasTag,
    registryRequiresAuth,
    registryServesTls,
    registryAllowsDeletes,
    registryReadOnly,
    certificateValidFor,
    certificateMatchesKey,
    containerRunning,
    imagePresent,
    imageAbsent,
    daemonConfig,
    daemonTrustsCa,
    swarmActive,
    swarmNode,
    swarmService,
    fileExists,
    webhookReceived,
    command,
  ].map((kind) => [kind.name, kind as CheckKind]),
);

export const CHECK_KIND_NAMES: readonly string[] = [...CHECK_KINDS.keys()];

export function findCheckKind(name: string): CheckKind | undefined {
  return CHECK_KINDS.get(name);
}
