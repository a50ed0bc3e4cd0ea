# Shared by the VM harness scripts (sourced, not run).

# Where built kernels' initramfs images, the KVM verdict and the KUnit test
# kernel are cached: outside the checkout, shared by every clone.
SLUICE_CACHE=${SLUICE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/sluice}

# The Debian kernels the VM tests run on: the newest installed 6.1 and 6.12
# with both image and headers, one release per line.
vm_kernels() {
	local series k best
	for series in 6.1 6.12; do
		best=
		for k in /boot/vmlinuz-"$series".*; do
			k=${k#/boot/vmlinuz-}
			[[ -d /lib/modules/$k/build ]] || continue
			best=$(printf '%s\n%s\n' "$best" "$k" | sed '/^$/d' | sort -V | tail -n1)
		done
		[[ -n $best ]] && echo "$best"
	done
}

# A short test-name prefix for a kernel release: 6.1.0-56-amd64 -> 6.1
kshort() {
	local v=${1%%-*}
	echo "${v%.*}" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/'
}

# timed CMD...: run CMD, then print how long it took ("# took N s: CMD",
# CMD cut to 72 characters, without a leading eval); CMD's exit status.
timed() {
	local t=$SECONDS r what=$*
	"$@"
	r=$?
	what=${what#eval }
	echo "# took $((SECONDS - t)) s: ${what:0:72}"
	return $r
}

# cpu_since MARK: where the guest's CPU time went since MARK (an earlier
# `cpu_since` with no argument prints the mark: /proc/stat's busy and idle
# ticks): "user U kernel K idle I", seconds summed over the vCPUs. The
# per-test figures after "# took" come from it: a test whose time is mostly
# user space gains from leaner helpers, one mostly in the kernel does not.
cpu_since() {
	local _ user nice sys idle iowait irq softirq rest
	read -r _ user nice sys idle iowait irq softirq rest </proc/stat
	local now="$((user + nice)) $((sys + irq + softirq)) $((idle + iowait))"
	if [[ -z ${1:-} ]]; then
		echo "$now"
		return
	fi
	local -a a=($1) b=($now)
	local hz
	hz=$(getconf CLK_TCK)
	echo "user $(((b[0] - a[0]) / hz)) kernel $(((b[1] - a[1]) / hz)) idle $(((b[2] - a[2]) / hz))"
}

# vm_pool LOG JOB...: run the JOBs (shell command lines: VM boots, or
# anything that keeps one core busy) two at a time, one per host core (a
# TCG guest uses one), the next starting as soon as one ends: no core idles
# while a longer one finishes. Give the longest first. Each job's output
# goes to LOG.N and is printed in order once all have ended, after a
# "# took N s" line of its own. Fails if any job did.
vm_pool() {
	local log=$1 i=0 running=0 rc=0 job
	shift
	for job in "$@"; do
		if ((running == 2)); then
			wait -n
			running=$((running - 1))
		fi
		(
			timed eval "$job"
			echo "$?" >"$log.$i.rc"
		) >"$log.$i" 2>&1 &
		running=$((running + 1))
		i=$((i + 1))
	done
	wait
	for ((i = 0; i < $#; i++)); do
		cat "$log.$i"
		[[ $(cat "$log.$i.rc" 2>/dev/null) == 0 ]] || rc=1
		rm -f "$log.$i" "$log.$i.rc"
	done
	return $rc
}

# What in a guest kernel log fails a run: oops, BUG, WARN, panic, the
# sanitizers, lockdep, kmemleak, hung tasks, any stack trace. Used inside
# the guest (per test) and on the host (the whole console log).
KERNEL_LOG_BAD='Oops|rcu: INFO:|soft lockup|BUG[: ]|WARNING:|Kernel panic|KASAN|UBSAN|kmemleak|general protection|possible (circular|recursive) locking|INFO: task .* blocked|Call Trace:'
