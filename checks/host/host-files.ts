import { ProbeFailure } from '../probe-failure.ts';
import type { CheckedHost } from './checked-host.ts';
import { TtlCache } from '../support/ttl-cache.ts';

/** How long a file read for a probe (a CA certificate) is reused before it is read again. */
const FILE_TTL_MS = 10_000;

/**
 * Files in a lab host. The Engine API of the host's engine sees only its containers, not the
 * host's own filesystem, so files are read with exec; checks of engine state never come here.
 */
export class HostFiles {
  private readonly cache = new TtlCache<string>(FILE_TTL_MS);

  constructor(private readonly host: CheckedHost) {}

  /** The file's text, or undefined when there is no such file. */
  async read(path: string): Promise<string | undefined> {
    const r = await this.host.exec(['cat', '--', path]);
    if (r.exitCode === 0) return r.stdout;
    if (/No such file|Not a directory/.test(r.stderr)) return undefined;
    throw new ProbeFailure(`${path} in ${this.host.name} cannot be read: ${r.stderr.trim()}`);
  }

  /** Like read, but a missing file is a probe failure that says what the file is for. */
  async readRequired(path: string, purpose: string): Promise<string> {
    const text = await this.read(path);
    if (text === undefined) throw new ProbeFailure(`there is no ${path} in ${this.host.name} (${purpose})`);
    return text;
  }

  /** Like readRequired, but kept for a few seconds. */
  readCached(path: string, purpose: string): Promise<string> {
    return this.cache.get(path, () => this.readRequired(path, purpose));
  }

  /** Drops a cached file, e.g. a CA that failed to verify: the learner may have made a new one. */
  forget(path: string): void {
    this.cache.forget(path);
  }

  /** Whether the path exists (file or folder). */
  async exists(path: string): Promise<boolean> {
    return (await this.host.exec(['test', '-e', path])).exitCode === 0;
  }

  /** Names in a folder, or undefined when there is no such folder. */
  async list(dir: string): Promise<string[] | undefined> {
    const r = await this.host.exec(['ls', '-1A', '--', dir]);
    return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : undefined;
  }
}
