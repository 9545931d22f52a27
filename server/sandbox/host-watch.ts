import type Docker from 'dockerode';
import type { Logger } from '../logging/logger.ts';
import { ownerFilter } from './labels.ts';

/** How a lab host's container ended, in words a learner can act on. */
export function whyStopped(exitCode: number | undefined, oomKilled: boolean): string {
  if (oomKilled) return 'it ran out of memory';
  if (exitCode === 137) return 'it was killed';
  if (exitCode === undefined) return 'it is gone from the engine';
  return `it stopped (exit code ${exitCode})`;
}

export interface HostWatchHandlers {
  /** A host container of this owner died. */
  died(containerId: string, why: string): void;
  /**
   * The event stream (re)connected: hosts may have died while it was down (the engine
   * restarting takes every container with it), so look at each one again.
   */
  reconnected(): void;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000];

/**
 * Follows the engine's event stream for this owner's lab hosts, so a session learns at once that
 * one of its hosts was killed, ran out of memory or went with an engine restart, instead of
 * finding out from a terminal that no longer answers. Reconnects for as long as it runs.
 */
export function watchHosts(docker: Docker, owner: string, handlers: HostWatchHandlers, log: Logger): { stop(): void } {
  let stopped = false;
  let stream: NodeJS.ReadableStream | undefined;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    try {
      const events = (await docker.getEvents({
        filters: { type: ['container'], event: ['die'], label: ownerFilter(owner, 'host').label },
      })) as NodeJS.ReadableStream;
      if (stopped) return void (events as unknown as { destroy(): void }).destroy();
      stream = events;
      if (failures > 0) {
        log.info('engine event stream back; checking every lab host');
        handlers.reconnected();
      }
      failures = 0;
      let buffered = '';
      events.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim()) dieEvent(line);
        }
      });
      events.on('error', () => {});
      events.on('close', () => reconnect());
      events.on('end', () => reconnect());
    } catch (err) {
      log.warn({ err }, 'engine event stream unavailable; retrying');
      reconnect();
    }
  };

  const dieEvent = (line: string) => {
    try {
      const event = JSON.parse(line) as { id?: string; Actor?: { Attributes?: Record<string, string> } };
      const exitCode = Number(event.Actor?.Attributes?.exitCode);
      if (event.id) handlers.died(event.id, whyStopped(Number.isFinite(exitCode) ? exitCode : undefined, false));
    } catch (err) {
      log.warn({ err, line }, 'unreadable engine event');
    }
  };

  const reconnect = () => {
    if (stopped || retry) return;
    stream = undefined;
    const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
    failures++;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay).unref();
  };

  void connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      (stream as unknown as { destroy?(): void } | undefined)?.destroy?.();
    },
  };
}
