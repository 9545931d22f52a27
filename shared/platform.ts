/**
 * Names and ports of the platform that both the sandbox (which sets them up) and the checks
 * (which rely on them) must agree on. Imports nothing: `server/` and `checks/` both import it.
 */

/** Port of the relay to each host's engine API (plain HTTP, reachable only on the session network). */
export const ENGINE_API_PORT = 2375;

/**
 * The name every lab host resolves to the machine's address on its session network, where the
 * platform's webhook receiver (config.hooksPort) listens.
 */
export const HOOKS_HOST_NAME = 'drydock-hooks';
