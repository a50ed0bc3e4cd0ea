# make bench, in the VM: Maglev build time in the kernel (the benchmark
# module) and in userspace (the same maglev.c), same boot, same CPU.
set -euo pipefail
ko=$SLUICE_ROOT/build/$KVER/bench-kmod/sluice_mh_bench.ko
dmesg -C
insmod "$ko"
rmmod sluice_mh_bench
echo "| reals | M | kernel ms | userspace ms | kernel / userspace |"
echo "|---|---|---|---|---|"
"$SLUICE_ROOT/build/bench/maglev_bench" | awk -F'|' '/^\| [0-9]/ { gsub(/ /, ""); print $2, $4 }' >/tmp/user
dmesg --notime | sed -n 's/.*sluice_mh_bench: reals=\([0-9]*\) m=\([0-9]*\) ns=\([0-9]*\)/\1 \2 \3/p' |
	while read -r n m t; do
		u=$(awk -v n="$n" '$1 == n { print $2 }' /tmp/user)
		awk -v n="$n" -v m="$m" -v t="$t" -v u="$u" \
			'BEGIN { printf "| %d | %d | %.2f | %.2f | %.2f |\n", n, m, t / 1e6, u, t / 1e6 / u }'
	done
