/**
 * A Chromium page driven over the DevTools protocol with only what the flood bench needs.
 * Playwright subscribes to every WebSocket frame (Network.webSocketFrameReceived), so Chromium
 * would copy each output frame, base64-encoded, to the driver in this process, which also hosts
 * the server: a cost no learner's browser pays. This driver enables no domain that does that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';

export class CdpPage {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(
    private readonly chromium: ChildProcess,
    private readonly ws: WebSocket,
    private readonly profile: string,
    private sessionId = '',
  ) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  /** Opens `url` in a fresh headless Chromium at 1280x800, with `initScript` run before the page's own scripts. */
  static async open(url: string, initScript: string): Promise<CdpPage> {
    const profile = await mkdtemp(join(tmpdir(), 'drydock-bench-chromium-'));
    const chromium = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
      stdio: 'ignore',
    });
    let endpoint = '';
    for (let i = 0; i < 100 && !endpoint; i++) {
      await sleep(100);
      const [port, path] = (await readFile(join(profile, 'DevToolsActivePort'), 'utf8').catch(() => '')).split('\n');
      if (port && path) endpoint = `ws://127.0.0.1:${port}${path}`;
    }
    if (!endpoint) throw new Error('Chromium did not open its DevTools endpoint');
    const ws = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const page = new CdpPage(chromium, ws, profile);
    const { targetId } = (await page.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    page.sessionId = ((await page.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }).sessionId;
    await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
    await page.send('Page.enable', {});
    await page.send('Page.addScriptToEvaluateOnNewDocument', { source: initScript });
    await page.send('Page.navigate', { url });
    return page;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: T };
      exceptionDetails?: { text: string };
    };
    if (result.exceptionDetails) throw new Error(`in the page: ${result.exceptionDetails.text}`);
    return result.result.value;
  }

  async waitFor(expression: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(expression))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await sleep(50);
    }
  }

  /** Types text as the learner would, then Enter. */
  async typeLine(text: string): Promise<void> {
    await this.send('Input.insertText', { text });
    await this.key({ key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' });
  }

  async ctrlC(): Promise<void> {
    await this.key({ key: 'c', code: 'KeyC', windowsVirtualKeyCode: 67, modifiers: 2 });
  }

  async close(): Promise<void> {
    this.ws.close();
    this.chromium.kill();
    await new Promise((resolve) => this.chromium.once('exit', resolve));
    await rm(this.profile, { recursive: true, force: true });
  }

  private async key(key: Record<string, unknown>): Promise<void> {
    await this.send('Input.dispatchKeyEvent', { type: key.text ? 'keyDown' : 'rawKeyDown', ...key });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key, text: undefined });
  }

  private send(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params, ...(this.sessionId ? { sessionId: this.sessionId } : {}) }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
}
