import type Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { DrydockError } from '../../errors/drydock-error.ts';
import { LABEL } from '../labels.ts';
import { BASE_IMAGE, IMAGES, IMAGES_DIR, type ImageSpec } from './catalog.ts';
import { hashContext, listFiles } from './context-hash.ts';

export type Progress = (line: string) => void;

export interface BuildReport {
  built: string[];
  current: string[];
}

/** Builds every platform image that is missing or stale; does nothing when all are current. */
export async function buildAllImages(docker: Docker, progress: Progress): Promise<BuildReport> {
  const baseId = await ensureBaseImage(docker, progress);
  const report: BuildReport = { built: [], current: [] };
  for (const spec of IMAGES) {
    const ref = `${spec.repository}:${spec.tags[0]}`;
    const hash = await hashContext(join(IMAGES_DIR, spec.context), baseId);
    if (await isCurrent(docker, spec, hash)) {
      report.current.push(ref);
      continue;
    }
    progress(`building ${ref} (images/${spec.context})`);
    await buildImage(docker, spec, hash, (line) => progress(`  [${spec.context}] ${line}`));
    report.built.push(ref);
  }
  return report;
}

async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch {
    return undefined;
  }
}

async function isCurrent(docker: Docker, spec: ImageSpec, hash: string): Promise<boolean> {
  const ids = new Set<string | undefined>();
  for (const tag of spec.tags) ids.add(await imageId(docker, `${spec.repository}:${tag}`));
  if (ids.size !== 1 || ids.has(undefined)) return false;
  const info = await docker.getImage(`${spec.repository}:${spec.tags[0]}`).inspect();
  return info.Config?.Labels?.[LABEL.imageHash] === hash;
}

/** Pulls the base image where a registry answers; otherwise makes it from Debian packages. */
export async function ensureBaseImage(docker: Docker, progress: Progress): Promise<string> {
  const existing = await imageId(docker, BASE_IMAGE.ref);
  if (existing) return existing;
  progress(`pulling ${BASE_IMAGE.ref}...`);
  try {
    await pull(docker, BASE_IMAGE.ref);
  } catch (err) {
    progress(`  no registry reachable (${firstLine(err)}); making ${BASE_IMAGE.ref} from Debian packages`);
    await makeBaseOffline(docker, progress);
  }
  const id = await imageId(docker, BASE_IMAGE.ref);
  if (!id) throw new DrydockError('DD_IMAGE_MISSING', `base image ${BASE_IMAGE.ref} could not be pulled or made`);
  return id;
}

async function pull(docker: Docker, ref: string): Promise<void> {
  const stream = await docker.pull(ref);
  await follow(docker, stream, () => {});
}

/** The engine's address as the docker CLI takes it, so make-base.sh imports into the engine the build uses. */
function cliAddress(docker: Docker): string {
  const { socketPath, host, port } = docker.modem as { socketPath?: string; host?: string; port?: number };
  return socketPath ? `unix://${socketPath}` : `tcp://${host}:${port}`;
}

async function makeBaseOffline(docker: Docker, progress: Progress): Promise<void> {
  const script = join(IMAGES_DIR, 'base', 'make-base.sh');
  try {
    const { stdout } = await promisify(execFile)('bash', [script, BASE_IMAGE.ref, BASE_IMAGE.suite], {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, DOCKER_HOST: cliAddress(docker) },
    });
    for (const line of stdout.trim().split('\n')) progress(`  ${line}`);
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? '';
    throw new DrydockError('DD_IMAGE_BUILD_FAILED', `making the base image failed: ${stderr.trim() || firstLine(cause)}`, {
      cause,
    });
  }
}

async function buildImage(docker: Docker, spec: ImageSpec, hash: string, progress: Progress): Promise<void> {
  const context = join(IMAGES_DIR, spec.context);
  const src = (await listFiles(context)).map((f) => relative(context, f));
  const [first, ...rest] = spec.tags.map((t) => `${spec.repository}:${t}`);
  const stream = await docker.buildImage(
    { context, src },
    { t: first, labels: { [LABEL.imageHash]: hash }, rm: true, forcerm: true },
  );
  try {
    await follow(docker, stream, (event) => {
      const line = typeof event.stream === 'string' ? event.stream.trim() : '';
      // Only the step headers: the full build log goes to the engine, and errors surface below.
      if (line.startsWith('Step ')) progress(line);
    });
  } catch (cause) {
    throw new DrydockError('DD_IMAGE_BUILD_FAILED', `building ${first} from images/${spec.context} failed: ${firstLine(cause)}`, {
      cause,
    });
  }
  for (const ref of rest) {
    const [repo, tag] = ref.split(':') as [string, string];
    await docker.getImage(first!).tag({ repo, tag });
  }
}

interface StreamEvent {
  stream?: unknown;
  error?: string;
  errorDetail?: { message?: string };
}

/** Reads a JSON progress stream to its end; an error event in it becomes a rejection. */
export function follow(docker: Docker, stream: NodeJS.ReadableStream, onEvent: (e: StreamEvent) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: string | undefined;
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : failure ? reject(new Error(failure)) : resolve()),
      (event: StreamEvent) => {
        if (event.error) failure = event.errorDetail?.message ?? event.error;
        onEvent(event);
      },
    );
  });
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
