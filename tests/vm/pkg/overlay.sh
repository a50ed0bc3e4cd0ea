# Sourced by the package tests: an overlay of this system's root to install
# packages in. The root file system alone is the lower layer, read-only
# (its submounts are not part of it: in the VM, /var/lib is the host's,
# dpkg's database included); a tmpfs is the upper one, where dpkg, apt and
# DKMS write, so the system itself never changes.

# overlay_up DIR: a tmpfs on DIR and the overlay on DIR/root ($R), with
# /proc, /sys, /dev, an empty /tmp and /run, and the checkout under test
# at its path.
overlay_up() {
	R=$1/root
	mkdir -p "$1"
	mount -t tmpfs tmpfs "$1" || return 1
	mkdir -p "$1/upper" "$1/work" "$R"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$R" || return 1
	mount -t proc proc "$R/proc"
	mount --rbind /sys "$R/sys"
	mount --rbind /dev "$R/dev"
	# The VM's devtmpfs has no /dev/fd (udev makes it): bash's <(...),
	# which dkms uses, needs it.
	[[ -e $R/dev/fd ]] || ln -s /proc/self/fd "$R/dev/fd"
	mount -t tmpfs tmpfs "$R/tmp"
	mount -t tmpfs tmpfs "$R/run"
	mkdir -p "$R$SLUICE_ROOT"
	mount --bind "$SLUICE_ROOT" "$R$SLUICE_ROOT"
}

overlay_down() {
	umount -R -l "$R" 2>/dev/null
	return 0
}

# in_root CMD...: CMD inside the overlay, with a clean environment.
in_root() {
	chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
