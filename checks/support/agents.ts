import http from 'node:http';
import https from 'node:https';

const OPTIONS = {
  keepAlive: true,
  maxSockets: 4,
  // Engines and registries never close idle connections; a session that stopped checking
  // (an idle learner) should not hold them (and the relay process behind each) for ever.
  timeout: 60_000,
};

/**
 * Keep-alive agents for one check context: probes repeat every few seconds, so connections to
 * engines and registries stay open between them instead of paying a handshake each time.
 * HTTPS agents are per presented name, so a connection verified for one name is never reused
 * for another that happens to reach the same address.
 */
export class AgentPool {
  readonly http = new http.Agent(OPTIONS);
  private readonly tlsAgents = new Map<string, https.Agent>();

  https(servedName: string): https.Agent {
    let agent = this.tlsAgents.get(servedName);
    if (!agent) {
      agent = new https.Agent(OPTIONS);
      this.tlsAgents.set(servedName, agent);
    }
    return agent;
  }

  destroy(): void {
    this.http.destroy();
    for (const agent of this.tlsAgents.values()) agent.destroy();
    this.tlsAgents.clear();
  }
}
