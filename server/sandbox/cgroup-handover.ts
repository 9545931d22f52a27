import type Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { DrydockError } from '../errors/drydock-error.ts';
import { runOneShot, type OneShotResult } from './one-shot.ts';

/** Where the helper sees the machine's cgroup hierarchies. */
const MACHINE_CGROUP = '/machine-cgroup';

/**
 * The files a delegated cgroup's owner needs, besides the directory itself (where the nested
 * engine makes its containers' cgroups): moving processes (v1 `tasks`, `cgroup.procs`; v2 also
 * `cgroup.threads`) and, on v2, enabling controllers for its children. The kernel's guide to
 * delegation names the same v2 set (Documentation/admin-guide/cgroup-v2.rst, "Delegation").
 * Everything else (memory.limit_in_bytes, cpu.cfs_quota_us, pids.max, notify_on_release, ...)
 * stays the machine root's: the host's own limits remain out of its reach.
 */
const DELEGATED_FILES = ['cgroup.procs', 'tasks', 'cgroup.threads', 'cgroup.subtree_control'];

/**
 * Runs on the machine's side (user namespace, PIDs and cgroup namespace of the machine). For
 * each hierarchy the host's init is in (/proc/PID/cgroup), finds where the machine mounts it
 * (/proc/1/mountinfo: v1 by its controllers, v2 by its type) and gives the host's directory and
 * the delegated files to the uid and gid that root in the host is (/proc/PID/uid_map).
 */
const SCRIPT = `
set -eu
root=$1; pid=$2; shift 2
uid=$(awk '$1 == 0 { print $2 }' /proc/$pid/uid_map)
gid=$(awk '$1 == 0 { print $2 }' /proc/$pid/gid_map)
[ -n "$uid" ] && [ "$uid" != 0 ] || { echo "process $pid is not in a remapped user namespace (root is uid \${uid:-none})"; exit 3; }
mounts=$(awk '{ for (i = 7; $i != "-"; i++); fs = $(i + 1); if (fs != "cgroup" && fs != "cgroup2") next;
  n = split($(i + 3), o, ","); key = "";
  for (j = 1; j <= n; j++) if (o[j] !~ /^(rw|ro|relatime|nosuid|nodev|noexec|nsdelegate|memory_recursiveprot|clone_children|xattr)$/) key = key (key ? "," : "") o[j];
  print (fs == "cgroup2" ? "" : key) " " $5 }' /proc/1/mountinfo)
handed=0
while IFS=: read -r _ controllers path; do
  mount=$(printf '%s\n' "$mounts" | awk -v k="$controllers" '$1 == k && NF == 2 { print $2; exit } k == "" && NF == 1 { print $1; exit }')
  [ -n "$mount" ] || continue
  dir=$root\${mount#/sys/fs/cgroup}$path
  [ -d "$dir" ] || continue
  chown "$uid:$gid" "$dir"
  for f in "$@"; do [ ! -e "$dir/$f" ] || chown "$uid:$gid" "$dir/$f"; done
  handed=$((handed + 1))
done < /proc/$pid/cgroup
[ "$handed" -gt 0 ] || { echo "no cgroup directory of process $pid found under /sys/fs/cgroup"; exit 4; }
`;

/**
 * Hands a lab host on a user-namespace-remapped engine its own cgroup directories, so its nested
 * engine can make containers with limits: root in the host is an unprivileged uid on the machine
 * and would otherwise own nothing there ("mkdir /sys/fs/cgroup/cpuset/docker: permission denied").
 * A server that runs as root on the machine does it itself, with no container to start; any
 * other (an unprivileged user, a container) from a short-lived container that runs as the
 * machine's root (about 0.9 s a host, measured under load).
 */
export async function handOverCgroups(docker: Docker, containerId: string): Promise<void> {
  const info = await docker.getContainer(containerId).inspect();
  const pid = info.State.Pid;
  if (!pid) throw new DrydockError('DD_HOST_NOT_READY', `lab host ${info.Name.slice(1)} stopped before its cgroups could be handed over`);
  // The engine API has CgroupnsMode since 1.41; the typings lag behind.
  const hostConfig: Docker.HostConfig & { CgroupnsMode: 'host' } = {
    UsernsMode: 'host',
    PidMode: 'host',
    CgroupnsMode: 'host',
    NetworkMode: 'none',
    Binds: [`/sys/fs/cgroup:${MACHINE_CGROUP}:rw`],
    CapDrop: ['ALL'],
    CapAdd: ['CHOWN', 'SYS_PTRACE'],
  };
  const args = [String(pid), ...DELEGATED_FILES];
  const { exitCode, output } = (await seesMachineProcess(pid))
    ? await runHere(['/sys/fs/cgroup', ...args])
    : await runOneShot(docker, [SCRIPT, 'cgroup-handover', MACHINE_CGROUP, ...args], hostConfig);
  if (exitCode !== 0) {
    throw new DrydockError('DD_HOST_NOT_READY', `could not hand lab host ${info.Name.slice(1)} its cgroups: ${output.trim()}`);
  }
}

/**
 * Whether this process is the machine's root and sees the host's init among its processes, so
 * the machine's PID namespace and cgroup hierarchies: a server on the machine, not in a container.
 */
async function seesMachineProcess(pid: number): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('drydock-init');
}

async function runHere(args: readonly string[]): Promise<OneShotResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('sh', ['-c', SCRIPT, 'cgroup-handover', ...args]);
    return { exitCode: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return { exitCode: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? failed.message}` };
  }
}
