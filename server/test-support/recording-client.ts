/** Test support, not used in production code: a session client that records what it gets. */
import type { ServerMessage } from '../../shared/protocol.ts';
import { ChangeSignal } from '../support/change-signal.ts';
import type { AttachedBrowser } from '../sessions/attached-browser.ts';

export class RecordingClient implements AttachedBrowser {
  readonly messages: ServerMessage[] = [];
  private readonly outputs = new Map<number, Buffer[]>();
  private readonly changes = new ChangeSignal();
  /** Called for each output batch; a test that plays a fast browser acknowledges here. */
  onOutput: ((hostIndex: number, data: Buffer) => void) | undefined;

  message(message: ServerMessage): void {
    this.messages.push(message);
    this.changes.changed();
  }

  output(hostIndex: number, chunks: readonly Buffer[]): void {
    const data = Buffer.concat(chunks);
    const list = this.outputs.get(hostIndex) ?? [];
    list.push(data);
    this.outputs.set(hostIndex, list);
    this.onOutput?.(hostIndex, data);
    this.changes.changed();
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
  until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return this.changes.until(ready, what, timeoutMs, 200, () => `output so far:\n${this.text().slice(-2000)}`);
  }
}
