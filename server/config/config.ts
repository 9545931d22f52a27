import { z } from 'zod';
import { DrydockError } from '../errors/drydock-error.ts';
import { logFormats } from '../logging/log-format.ts';

/**
 * The one configuration schema. Every setting comes from the environment (DRYDOCK_*), is parsed
 * and validated once at start, frozen, and passed down; nothing reads process.env elsewhere.
 */
const mebibytes = z.coerce
  .number()
  .int()
  .min(64)
  .max(64 * 1024);
const seconds = z.coerce
  .number()
  .positive()
  .max(7 * 24 * 3600);

export const configSchema = z
  .object({
    /**
     * Engine address: a unix socket path or tcp://host:port. Empty: the engine of the isolation,
     * the one Drydock owns (/run/drydock/docker.sock) for `userns`, the machine's own
     * (/var/run/docker.sock) for `privileged`.
     */
    dockerHost: z.string().default(''),
    /**
     * How lab hosts are kept from the machine. `userns`: root in a host is an unprivileged uid
     * on the machine (the engine must remap user namespaces, as the one `scripts/engine.sh`
     * starts does); Drydock refuses to start where it cannot. `privileged`: root in a host is
     * the machine's root with most capabilities (docs/security.md says what that allows).
     */
    isolation: z.enum(['userns', 'privileged']).default('userns'),
    /**
     * Where lab hosts run. `machine`: containers on the engine of DRYDOCK_DOCKER_HOST, on this
     * machine. `cluster`: one-task services on a Docker Swarm of lab nodes, reached through each
     * node's engine API over mutual TLS (docs/operators.md, "A cluster of lab nodes").
     */
    sandbox: z.enum(['machine', 'cluster']).default('machine'),
    /** Cluster: the engine API of a Swarm manager, tcp://ADDRESS:PORT (mutual TLS). */
    clusterManager: z.union([z.literal(''), z.string().regex(/^tcp:\/\/[^/:]+:\d+$/, 'tcp://ADDRESS:PORT')]).default(''),
    /** Cluster: folder with ca.pem, cert.pem and key.pem, the server's client certificate for every node's engine. */
    clusterTlsDir: z.string().default(''),
    /** Cluster: port of each node's engine API (mutual TLS) at its Swarm address; terminals and execs go to the node that runs the host. */
    clusterEnginePort: z.coerce.number().int().min(1).max(65_535).default(2376),
    /**
     * Cluster: this server's address as lab nodes reach it (hosts send registry notifications and
     * Docker Hub pulls there). Empty: the address this server uses to reach the manager.
     */
    clusterServerAddress: z.union([z.literal(''), z.ipv4()]).default(''),
    /**
     * Cluster: memory each lab host reserves on its node, in MiB. The Swarm scheduler places a host
     * only where its reservation fits, and a full cluster refuses new hosts; an idle host uses
     * about 40 MiB, an active registry lab a few hundred.
     */
    clusterHostReserveMib: mebibytes.default(384),
    /** Cluster: CPU each lab host reserves on its node, in cores. */
    clusterHostReserveCpus: z.coerce.number().min(0).max(64).default(0.1),
    /** Labels every resource with this owner, so two Drydock servers can share one engine. */
    owner: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes')
      .default('drydock'),
    /** Memory limit of each lab host in MiB, its engine and everything a learner runs in it included. */
    hostMemoryMib: mebibytes.default(2048),
    /**
     * Disk of each lab host in MiB: everything written in it, the engine's images included. It is
     * memory-backed (the machine's disk has no per-container quota) and counts against the host's
     * memory, so it must be smaller than DRYDOCK_HOST_MEMORY_MIB.
     */
    hostDiskMib: mebibytes.default(1024),
    /** CPU limit of each lab host, in cores (0.5 is half a core). */
    hostCpus: z.coerce.number().positive().max(64).default(1),
    /** Process limit of each lab host: a fork bomb stops here. */
    hostPids: z.coerce.number().int().min(64).max(1_000_000).default(2048),
    /**
     * Ready lab hosts kept waiting, so a learner's first prompt needs no cold start. Three: the
     * largest lab of the registry track (the swarm) then comes wholly from the pool; each waits at
     * about 36 MiB.
     */
    poolSize: z.coerce.number().int().min(0).max(100).default(3),
    /** Address range that session networks are cut from, one small subnet per session. */
    subnetPool: z
      .string()
      .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'CIDR such as 10.213.0.0/16')
      .default('10.213.0.0/16'),
    /** Size of each session's subnet (27: 30 addresses, enough for the hosts, the mirror and the gateway). */
    subnetPrefix: z.coerce.number().int().min(20).max(29).default(27),
    /**
     * The mirror always serves the locally built lesson images and those added with
     * `drydock images add`. A URL (e.g. https://registry-1.docker.io): it also pulls any other
     * image through from there and caches it. `auto`: Docker Hub, if its /v2/ answers at start.
     * Empty: offline, the mirror's images only.
     */
    mirrorUpstream: z.union([z.literal(''), z.literal('auto'), z.url()]).default('auto'),
    /**
     * Port of the webhook receiver that lab hosts reach as drydock-hooks (registry notifications).
     * The one port of this machine that lab hosts may open.
     */
    hooksPort: z.coerce.number().int().min(1).max(65_535).default(8089),
    /**
     * Port of the Docker Hub stand-in: lab hosts reach it as registry-1.docker.io, and its one job
     * is to tell a learner, in the pull's error, that an image is not in the offline mirror.
     * 0: the port after DRYDOCK_HOOKS_PORT. Lab hosts may open it too.
     */
    hubPort: z.coerce.number().int().min(0).max(65_535).default(0),
    /**
     * Registry notifications each session keeps (as JSON), for its checks and its lesson view; the
     * oldest go first. A real event is about 1 KiB.
     */
    hooksSessionKib: z.coerce
      .number()
      .int()
      .min(16)
      .max(16 * 1024)
      .default(256),
    /**
     * Registry notifications all sessions together keep; past it a session that would grow is
     * refused (503) until others end. Above sessions × DRYDOCK_HOOKS_SESSION_KIB it never binds.
     */
    hooksTotalMib: z.coerce.number().int().min(1).max(4096).default(16),

    // The lab server (server/http, server/ws, server/sessions).
    /** HTTP port of the lab server (the catalog, the lab view, the API, session sockets). */
    port: z.coerce.number().int().min(0).max(65_535).default(8080),
    /** 0.0.0.0 serves other machines; the default serves this one only. */
    listenAddress: z.string().min(1).default('127.0.0.1'),
    /**
     * Port of the second listener, on the same address, that serves the ports learners publish in
     * their hosts (the port proxy). Another port is another origin, so a learner's page cannot
     * script Drydock or read the tokens its pages keep.
     */
    portsPort: z.coerce.number().int().min(0).max(65_535).default(8081),
    /**
     * The public origin of that listener when a reverse proxy serves it (e.g.
     * https://ports.example.org, best on a domain of its own). Empty: the address Drydock was
     * reached at, with DRYDOCK_PORTS_PORT. Never one of DRYDOCK_ALLOWED_ORIGINS.
     */
    portsOrigin: z.union([z.literal(''), z.url().transform((u) => new URL(u).origin)]).default(''),
    /** Folder with one sub-folder per lab. */
    labsDir: z.string().min(1).default('labs'),
    /**
     * Folder of the store (drydock.db): learners, classes, progress and running sessions. Created
     * when absent; in the container image a volume.
     */
    dataDir: z.string().min(1).default('data'),
    /** For instructors: reload a lab when its file changes; open lessons update without a restart. */
    devMode: z.union([z.boolean(), z.stringbool()]).default(false),
    /**
     * How the server writes its log on standard output: `auto` gives readable, coloured lines at a
     * terminal and JSON lines anywhere else (a file, a pipe, `docker logs`, a log collector);
     * `json` and `pretty` choose one everywhere.
     */
    logFormat: z.enum(logFormats).default('auto'),
    /**
     * Origins, besides the server's own, whose pages may change things through the API and open
     * session WebSockets (comma-separated, e.g. https://training.example.com).
     */
    allowedOrigins: z
      .union([
        z.array(z.string()),
        z.string().transform((v) =>
          v
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(z.url()))
      .default([]),
    /** Behind a reverse proxy: take the learner's address from X-Forwarded-For (for the per-address limit) and https from X-Forwarded-Proto. */
    trustProxy: z.union([z.boolean(), z.stringbool()]).default(false),
    /**
     * Time a client has to send a request's headers, a WebSocket handshake included; one that
     * trickles them in (slowloris) is answered 408 and cut off.
     */
    headersTimeoutSeconds: seconds.default(20),
    /**
     * Time a client has to send a whole request, body included (at least the headers timeout).
     * Raise it if learners upload large files through the port proxy on slow links.
     */
    requestTimeoutSeconds: seconds.default(300),
    /**
     * Session sockets are pinged this often; one that misses a ping (a laptop gone to sleep, a
     * dropped network) is closed, so its session's idle time starts. Lower it behind a proxy that
     * drops quiet connections sooner.
     */
    socketHeartbeatSeconds: seconds.default(30),
    /** Time a new session gets; the learner sees it count down. */
    sessionSeconds: seconds.default(60 * 60),
    /** Time one click on Extend adds. */
    sessionExtendSeconds: seconds.default(30 * 60),
    /** The longest a session can live from its start, however often it is extended. */
    sessionMaxSeconds: seconds.default(3 * 60 * 60),
    /** A session with no browser attached for this long ends (a closed tab, not a reload). */
    sessionIdleSeconds: seconds.default(10 * 60),
    /** Sessions one learner (one browser) may run at once; one more is refused with a message saying so. */
    sessionsPerLearner: z.coerce.number().int().min(1).max(100).default(2),
    /**
     * Sessions one address may run at once, all its learners together: a ceiling against abuse,
     * generous because a classroom behind one NAT shares an address.
     */
    sessionsPerAddress: z.coerce.number().int().min(1).max(10_000).default(60),
    /** Sessions the server runs at once, all learners together; beyond it a start answers 503 with a message. */
    sessionsTotal: z.coerce.number().int().min(1).max(10_000).default(30),
    /**
     * On shutdown (SIGTERM, SIGINT): `keep` exits at once and leaves every running session, with
     * its lab hosts, for the next start to take over (learners' pages reconnect to the same
     * shells); `remove` ends every session and removes its lab hosts before exiting (taking
     * Drydock down for good). A killed server leaves what `keep` leaves.
     */
    shutdownHosts: z.enum(['remove', 'keep']).default('keep'),
    /** Recent output each terminal keeps, shown again when the browser re-attaches. */
    terminalReplayKib: z.coerce.number().int().min(4).max(1024).default(64),

    // Classes and instructors (server/classes, server/instructors).
    /**
     * The secret instructors sign in with (at least 12 characters). Empty: one is generated at the
     * first start, printed once in the log, and only its digest kept; set this to choose your own.
     */
    instructorSecret: z.union([z.literal(''), z.string().min(12, 'at least 12 characters')]).default(''),
    /** How long an instructor stays signed in. */
    instructorSignInHours: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(12),
    /** A learner whose current step has not passed for this long is shown as stuck in the live class view. */
    stuckAfterSeconds: seconds.default(600),
    /** A learner is also shown as stuck when their commands or Check clicks fail the same check this many times in a row. */
    stuckFailures: z.coerce.number().int().min(2).max(100).default(5),
  })
  .refine((c) => c.portsPort === 0 || c.portsPort !== c.port, {
    path: ['portsPort'],
    message: 'must differ from DRYDOCK_PORT: the ports of lab hosts are served from an origin of their own',
  })
  .refine((c) => !c.portsOrigin || !c.allowedOrigins.map((o) => new URL(o).origin).includes(c.portsOrigin), {
    path: ['portsOrigin'],
    message: "must not be one of DRYDOCK_ALLOWED_ORIGINS: pages of learners' ports would then act on Drydock as if they were its own",
  })
  .refine((c) => c.sandbox !== 'cluster' || (c.clusterManager && c.clusterTlsDir), {
    path: ['clusterManager'],
    message: 'a cluster needs DRYDOCK_CLUSTER_MANAGER (tcp://ADDRESS:PORT) and DRYDOCK_CLUSTER_TLS_DIR (ca.pem, cert.pem, key.pem)',
  })
  .refine((c) => c.sandbox !== 'cluster' || c.isolation === 'privileged', {
    path: ['isolation'],
    message:
      'must be `privileged` with DRYDOCK_SANDBOX=cluster: Swarm services cannot remap user namespaces, so root in a host is root on its node (docs/security.md)',
  })
  .refine((c) => c.hostDiskMib < c.hostMemoryMib, {
    path: ['hostDiskMib'],
    message: "must be smaller than DRYDOCK_HOST_MEMORY_MIB: a host's disk lives in its memory, and a full disk must leave room to run",
  });

export type Config = Readonly<z.infer<typeof configSchema>>;

/**
 * Where each isolation's engine listens by default: the engine Drydock owns, which remaps user
 * namespaces (scripts/engine.sh starts it), and the machine's own.
 */
export const ENGINE_SOCKETS = { userns: '/run/drydock/docker.sock', privileged: '/var/run/docker.sock' } as const;

/** The Docker Hub stand-in's port: DRYDOCK_HUB_PORT, or the one after the webhook receiver's. */
export function hubPortOf(config: Pick<Config, 'hubPort' | 'hooksPort'>): number {
  return config.hubPort || config.hooksPort + 1;
}

/** Environment variable for each setting: DRYDOCK_ + the key in SCREAMING_SNAKE_CASE. */
export function envName(key: string): string {
  return 'DRYDOCK_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[envName(key)];
    if (value !== undefined) raw[key] = value;
  }
  const parsed = configSchema.safeParse({ ...raw, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${envName(key)}: ${i.message}`;
    });
    throw new DrydockError('DD_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  return Object.freeze({ ...config, dockerHost: config.dockerHost || ENGINE_SOCKETS[config.isolation] });
}
