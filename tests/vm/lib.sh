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

# What in a guest kernel log fails a run: oops, BUG, WARN, panic, the
# sanitizers, lockdep, kmemleak, hung tasks, any stack trace. Used inside
# the guest (per test) and on the host (the whole console log).
KERNEL_LOG_BAD='Oops|rcu: INFO:|soft lockup|BUG[: ]|WARNING:|Kernel panic|KASAN|UBSAN|kmemleak|general protection|possible (circular|recursive) locking|INFO: task .* blocked|Call Trace:'
