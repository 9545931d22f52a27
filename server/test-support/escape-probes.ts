/**
 * Escape probes for server/sandbox/escape.test.ts. Not production code.
 *
 * Each is a bash script run as root inside a lab host. It exits 0 when the escape worked and
 * non-zero when it was refused, and prints what happened. The machine is shared, so a probe
 * that succeeds must leave it exactly as it found it: it writes back the value it read, loads
 * nothing, unmounts what it mounted, and sets the clock to what it reads.
 */
export interface EscapeProbe {
  name: string;
  script: string;
}

/** A setting of the machine written back with the value it holds; `umount` whatever the outcome. */
const writeBack = (file: string) => `v=$(cat ${file}) && echo "$v" > ${file} && echo "wrote ${file} back: $v"`;

export const ESCAPE_PROBES: readonly EscapeProbe[] = [
  {
    name: 'write kernel.core_pattern through a fresh proc',
    script: `mkdir -p /tmp/probe-proc && mount -t proc proc /tmp/probe-proc || exit 1
trap 'umount /tmp/probe-proc' EXIT
${writeBack('/tmp/probe-proc/sys/kernel/core_pattern')}`,
  },
  {
    // The release_agent of a cgroup v1 hierarchy runs as the machine's root when a cgroup with
    // notify_on_release empties. Inside its cgroup namespace a host sees no hierarchy root, so
    // the probe mounts a new (named, empty) hierarchy, which the kernel destroys at umount.
    name: 'set a cgroup v1 release_agent and notify_on_release',
    script: `mkdir -p /tmp/probe-cg && mount -t cgroup -o none,name=drydock-probe cgroup /tmp/probe-cg || exit 1
trap 'umount /tmp/probe-cg' EXIT
${writeBack('/tmp/probe-cg/release_agent')} && ${writeBack('/tmp/probe-cg/notify_on_release')}`,
  },
  {
    // The devices cgroup would refuse the read, so the probe first allows the device in the
    // host's own cgroup (through a fresh mount of the devices hierarchy), as an attacker would,
    // and takes the rule back afterwards.
    name: "read the machine's block device",
    script: `dev=$(ls /sys/block | grep -vE '^(loop|ram|zram)' | head -n1); [ -n "$dev" ] || { echo "no block device"; exit 1; }
majmin=$(cat /sys/block/$dev/dev); own=$(awk -F: '$2 == "devices" { print $3 }' /proc/self/cgroup)
mkdir -p /tmp/probe-dev && mount -t cgroup -o devices cgroup /tmp/probe-dev || exit 1
cg=/tmp/probe-dev$own; rule="b $majmin r"; before=$(cat $cg/devices.list)
trap 'grep -qxF "$rule" <<<"$before" || echo "$rule" > $cg/devices.deny; rm -f /tmp/probe-blk; umount /tmp/probe-dev' EXIT
echo "$rule" > $cg/devices.allow || exit 1
mknod /tmp/probe-blk b \${majmin%:*} \${majmin#*:} && head -c 512 /tmp/probe-blk | od -An -tx1 | head -n1 | grep .`,
  },
  {
    // init_module with an image that is not a module: the capability check comes first, and a
    // host that passes it gets "Exec format error", so nothing is ever loaded.
    name: 'load a kernel module',
    script: `before=$(cut -d' ' -f1 /proc/modules | sort | md5sum)
perl -e 'my $img = "not a module" x 8; my $r = syscall(175, $img, length($img), ""); my $e = $! + 0; print "init_module: $!\\n"; exit($e == 1 ? 1 : 0)'; rc=$?
[ "$before" = "$(cut -d' ' -f1 /proc/modules | sort | md5sum)" ] || { echo "the module list changed"; exit 2; }
exit $rc`,
  },
  {
    // gettimeofday then settimeofday with what it returned, a microsecond later.
    name: 'set the clock',
    script: `perl -e 'my $tv = "\\0" x 16; syscall(96, $tv, 0) == 0 or die "gettimeofday: $!"; syscall(164, $tv, 0) == 0 or do { print "settimeofday: $!\\n"; exit 1 }; print "clock set to what it read\\n"'`,
  },
  {
    // In a network namespace other than the machine's, the kernel mounts sysfs read-only: the
    // control run shares the machine's network namespace.
    name: "write under /sys outside the host's own (a fresh sysfs)",
    script: `mkdir -p /tmp/probe-sys && mount -t sysfs sysfs /tmp/probe-sys || exit 1
trap 'umount /tmp/probe-sys' EXIT
${writeBack('/tmp/probe-sys/kernel/mm/ksm/pages_to_scan')}`,
  },
  {
    // A host sees its own processes only. The probe looks for an engine (dockerd) outside its own
    // mount namespace, which is the machine's (or another host's), and enters its namespaces.
    name: "enter the namespaces of the machine's engine",
    script: `own=$(readlink /proc/self/ns/mnt)
for p in $(pgrep -x dockerd); do [ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$own" ] || { target=$p; break; }; done
[ -n "\${target:-}" ] || { echo "no engine outside this host is visible"; exit 1; }
nsenter --target "$target" --mount --uts --net -- cat /proc/sys/kernel/hostname`,
  },
];
