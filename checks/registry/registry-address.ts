import { isIPv4 } from 'node:net';

/** A registry address as a learner writes it in an image name: `127.0.0.1:5000`, `node2:5000`. */
export interface RegistryAddress {
  hostname: string;
  port: number;
  /** As written. */
  text: string;
}

/** The shape lab files must use (validated by the check kinds' schemas). */
export const REGISTRY_ADDRESS = /^(\[::1\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

export function parseRegistryAddress(text: string): RegistryAddress {
  const match = REGISTRY_ADDRESS.exec(text);
  if (!match) throw new Error(`not a registry address: ${text}`);
  return { hostname: match[1]!, port: Number(match[2]), text };
}

/** Names and addresses that mean "this host" to a client inside it. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || hostname === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export const isIpAddress = (hostname: string): boolean => isIPv4(hostname) || hostname.startsWith('[');
