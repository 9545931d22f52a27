/**
 * Time from the learner's "start lab" request to the first byte of their prompt: the HTTP start
 * (hosts from the pool or cold), the socket, and the shell that was opened with the session.
 */
import type { StartedSessionBody } from '../shared/api.ts';
import type { TestServer } from '../server/test-support/test-server.ts';
import { NodeSessionClient } from '../server/verify/node-session-client.ts';

export async function startToPrompt(app: TestServer, labId: string, runs: number, beforeEach: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await beforeEach();
    const started = performance.now();
    const response = await fetch(`${app.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ labId }),
    });
    if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as StartedSessionBody;
    const client = await NodeSessionClient.connect(app.url, body.session.id, body.token);
    await client.waitFor(() => client.text(0).includes('root@'), 'the prompt', 30_000);
    samples.push(performance.now() - started);
    await client.close();
    await fetch(`${app.url}/api/sessions/${body.session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${body.token}` } });
  }
  return samples;
}
