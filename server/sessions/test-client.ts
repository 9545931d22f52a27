/** Test support, not used in production code: a session client that records what it gets. */
import type { ServerMessage } from '../../shared/protocol.ts';
import type { SessionClient } from './session-client.ts';

export class RecordingClient implements SessionClient {
  readonly messages: ServerMessage[] = [];
  private readonly outputs = new Map<number, Buffer[]>();
  private waiters: (() => void)[] = [];
  /** Called for each output batch; a test that plays a fast browser acknowledges here. */
  onOutput: ((hostIndex: number, data: Buffer) => void) | undefined;

  message(message: ServerMessage): void {
    this.messages.push(message);
    this.changed();
  }

  output(hostIndex: number, chunks: readonly Buffer[]): void {
    const data = Buffer.concat(chunks);
    const list = this.outputs.get(hostIndex) ?? [];
    list.push(data);
    this.outputs.set(hostIndex, list);
    this.onOutput?.(hostIndex, data);
    this.changed();
  }

  text(hostIndex = 0): string {
    return Buffer.concat(this.outputs.get(hostIndex) ?? []).toString('utf8');
  }

  clearOutput(): void {
    this.outputs.clear();
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  /** Resolves once `ready()` holds, checking after every message and output. */
  async until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; output so far:\n${this.text().slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
