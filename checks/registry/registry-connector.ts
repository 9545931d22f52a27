import type { OutgoingHttpHeaders } from 'node:http';
import { checkServerIdentity } from 'node:tls';
import type { CheckedHost } from '../host/checked-host.ts';
import type { HostFiles } from '../host/host-files.ts';
import type { NameResolver } from '../host/name-resolver.ts';
import type { AgentPool } from '../support/agents.ts';
import { httpRequest, type HttpResponse } from '../support/http-request.ts';
import { isIpAddress, parseRegistryAddress, type RegistryAddress } from './registry-address.ts';
import { RegistryClient, type RegistryMethod } from './registry-client.ts';
import { handshake, type Handshake } from './tls-probe.ts';
import { explainTransportError, isUntrustedCertificate, type ConnectionFacts } from './transport-errors.ts';

/** How a check reaches a registry: the parameters every registry kind shares. */
export interface RegistryConnection {
  /** As the learner's client names it: `127.0.0.1:5000`, `node2:5000`. */
  registry: string;
  tls: boolean;
  /** A CA file in the host: the served certificate must chain to it (implies tls). */
  ca?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/** Where and how to connect, once names are resolved. */
export interface RegistryEndpoint extends ConnectionFacts {
  address: RegistryAddress;
  /** The IP this process connects to, on the session network. */
  connectTo: string;
}

/**
 * Opens registry clients as a client inside one lab host would reach registries: `127.0.0.1:5000`
 * in node1 is node1's port 5000, `node2:5000` is node2's. The platform connects to the host's
 * session address, which works for any port a container publishes on all the host's addresses
 * (the default of `-p 5000:5000`), and presents the learner's name for TLS.
 */
export class RegistryConnector {
  constructor(
    private readonly host: CheckedHost,
    private readonly names: NameResolver,
    private readonly files: HostFiles,
    private readonly agents: AgentPool,
    private readonly timeoutMs: number,
  ) {}

  async endpoint(c: RegistryConnection): Promise<RegistryEndpoint> {
    const address = parseRegistryAddress(c.registry);
    const resolved = await this.names.resolve(address.hostname);
    return {
      address,
      connectTo: resolved.address,
      label: resolved.local && this.names.sessionHasOthers ? `${address.text} in ${this.host.name}` : address.text,
      port: address.port,
      tls: c.tls || c.ca !== undefined,
      caPath: c.ca,
    };
  }

  async open(c: RegistryConnection): Promise<RegistryClient> {
    const endpoint = await this.endpoint(c);
    const authorization = c.username !== undefined ? `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}` : undefined;
    const send = async (method: RegistryMethod, path: string, headers: OutgoingHttpHeaders = {}): Promise<HttpResponse> => {
      const all = authorization ? { ...headers, authorization } : headers;
      try {
        return await this.request(endpoint, method, path, all);
      } catch (err) {
        // The learner may have made a new CA since it was read: read it again once.
        if (!endpoint.caPath || !isUntrustedCertificate(err)) throw explainTransportError(err, endpoint);
        this.files.forget(endpoint.caPath);
        return this.request(endpoint, method, path, all).catch((again: unknown) => {
          throw explainTransportError(again, endpoint);
        });
      }
    };
    return new RegistryClient(endpoint.label, send);
  }

  /** A TLS handshake presenting the learner's name, to judge the served certificate. */
  async handshake(c: RegistryConnection): Promise<Handshake & { endpoint: RegistryEndpoint }> {
    const endpoint = await this.endpoint({ ...c, tls: true });
    const name = endpoint.address.hostname;
    const attempt = async () => {
      const ca = endpoint.caPath ? await this.files.readCached(endpoint.caPath, 'the CA certificate the check trusts') : undefined;
      return handshake({
        address: endpoint.connectTo,
        port: endpoint.port,
        servername: isIpAddress(name) ? undefined : name,
        ca,
        timeoutMs: this.timeoutMs,
      });
    };
    try {
      let result = await attempt();
      if (!result.trusted && endpoint.caPath) {
        // The learner may have made a new CA since it was read: read it again once.
        this.files.forget(endpoint.caPath);
        result = await attempt();
      }
      return { ...result, endpoint };
    } catch (err) {
      throw explainTransportError(err, endpoint);
    }
  }

  private async request(e: RegistryEndpoint, method: RegistryMethod, path: string, headers: OutgoingHttpHeaders): Promise<HttpResponse> {
    const name = e.address.hostname;
    const ca = e.caPath ? await this.files.readCached(e.caPath, 'the CA certificate the check trusts') : undefined;
    return httpRequest({
      tls: e.tls,
      address: e.connectTo,
      port: e.port,
      method,
      path,
      headers: { host: e.address.text, ...headers },
      agent: e.tls ? this.agents.https(name) : this.agents.http,
      timeoutMs: this.timeoutMs,
      // SNI carries names only, never addresses (RFC 6066); identity is checked for either.
      servername: isIpAddress(name) ? undefined : name,
      ca,
      checkServerIdentity: (_host, cert) => checkServerIdentity(name.replace(/^\[|\]$/g, ''), cert),
    });
  }
}
