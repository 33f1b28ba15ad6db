#!/usr/bin/env bash
# build.sh OUTPUT.qcow2 [IMAGE_ARCHIVE...]: a Debian 12 (bookworm) base image for the VM target.
#
# What is in it: the cloud kernel, systemd (networkd + resolved; no ifupdown), cloud-init
# (NoCloud only, networkd renderer), Podman, nftables, the QEMU guest agent, growpart, the
# en_US.UTF-8 locale cloud-init asks for, and apt's package lists (so cloud-init's package
# step installs nothing and needs no download). Each IMAGE_ARCHIVE (`podman save` or
# `docker save` output) is loaded into the image's container storage under its own tags,
# so services start without a registry (`libvirt.network.mode: none`).
#
# How, without loop mounts or a block device: mmdebstrap builds the root filesystem in a
# directory, `mkfs.ext4 -d` writes it into the first partition of a raw file, GRUB's
# boot.img and core.img go in front of it with `dd`, and `qemu-img` makes the qcow2.
# Needs root, mmdebstrap, e2fsprogs, fdisk, grub-pc-bin, qemu-utils, and apt sources for
# bookworm in /etc/apt/sources.list(.d) (or SOURCES=FILE, a sources.list to use instead).
# Optional: IMAGE_SIZE (default 4G), EXTRA_PACKAGES (comma separated, e.g. openssh-server).
set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
suite=bookworm
packages=linux-image-cloud-amd64,systemd-sysv,systemd-resolved,udev,dbus,cloud-init,cloud-guest-utils,podman,nftables,qemu-guest-agent,locales,e2fsprogs,iproute2,ca-certificates,netbase
locale=en_US.UTF-8

die() { echo "build.sh: $*" >&2; exit 1; }

# --customize ROOT: runs inside mmdebstrap's customize hook (ROOT has /proc, /sys, /dev).
customize() {
  local root=$1
  sed -i "s/^# *\($locale UTF-8\)/\1/" "$root/etc/locale.gen"
  chroot "$root" locale-gen >/dev/null
  # cloud-init regenerates locales unless the system already names the one it wants.
  echo "LANG=$locale" >"$root/etc/default/locale"
  cat >"$root/etc/cloud/cloud.cfg.d/90-hybrid-platform.cfg" <<'EOF'
# Only the NoCloud seed (the cidata disk) is looked for; networks are written for networkd.
datasource_list: [NoCloud, None]
system_info:
  network:
    renderers: [networkd]
EOF
  # The lists in the image are what apt needs; no translations to fetch at first boot.
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/90hybrid-platform"
  chroot "$root" systemctl enable --quiet systemd-networkd systemd-resolved
  # Packages change with the image, not behind a running service's back.
  chroot "$root" systemctl mask --quiet apt-daily.timer apt-daily-upgrade.timer
  echo "LABEL=root / ext4 errors=remount-ro 0 1" >"$root/etc/fstab"
  echo localhost >"$root/etc/hostname"
  local archive
  for archive in "${PRELOAD_DIR:-/nonexistent}"/*.tar; do
    [ -e "$archive" ] || continue
    cp "$archive" "$root/tmp/preload.tar"
    # A mount namespace of its own, whatever the storage driver mounts goes away with it;
    # in it the root is a mount point, as the layer unpacker expects of /.
    unshare -m --propagation private sh -c \
      'mount --rbind "$1" "$1" && exec chroot "$1" podman load --quiet -i /tmp/preload.tar' - "$root"
    rm -f "$root/tmp/preload.tar"
  done
  rm -rf "$root/run/containers" "$root/run/libpod"
}
if [ "${1:-}" = --customize ]; then customize "$2"; exit 0; fi

[ $# -ge 1 ] || die "usage: build.sh OUTPUT.qcow2 [IMAGE_ARCHIVE...]"
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap's root mode and chroot)"
for tool in mmdebstrap mkfs.ext4 sfdisk qemu-img grub-mkimage; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install mmdebstrap e2fsprogs fdisk qemu-utils grub-pc-bin)"
done
grub=/usr/lib/grub/i386-pc
[ -e "$grub/boot.img" ] || die "$grub/boot.img is missing (apt-get install grub-pc-bin)"
output=$(readlink -f "$1"); shift
size=${IMAGE_SIZE:-4G}

work=$(mktemp -d "${TMPDIR:-/var/tmp}/hybrid-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/preload"
index=0
for archive in "$@"; do
  [ -f "$archive" ] || die "$archive: no such image archive"
  cp "$archive" "$work/preload/$index.tar"; index=$((index + 1))
done

# The machine's own Debian sources for the suite (deb822 stanzas and one-line entries),
# so no mirror host is named here; other repositories on the machine are left out.
sources=$work/debian.sources
if [ -n "${SOURCES:-}" ]; then
  cp "$SOURCES" "$sources"
else
  shopt -s nullglob
  lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  existing=()
  for list in "${lists[@]}"; do [ -f "$list" ] && existing+=("$list"); done
  awk -v suite="$suite" '
    function keep(s) { return s == suite || s == suite "-updates" || s == suite "-security" }
    function flush() { if (wanted) printf "%s\n", stanza; stanza = ""; wanted = 0 }
    FNR == 1 { flush() }
    /^[[:space:]]*$/ { flush(); next }
    /^[[:space:]]*#/ { next }
    FILENAME ~ /\.sources$/ {
      stanza = stanza $0 "\n"
      if (tolower($1) == "suites:") for (i = 2; i <= NF; i++) if (keep($i)) wanted = 1
      next
    }
    $1 == "deb" { line = $0; gsub(/\[[^]]*\]/, "", line); split(line, f); if (keep(f[3])) print $0 "\n" }
    END { flush() }
  ' "${existing[@]}" /dev/null >"$sources"
  shopt -u nullglob
  grep -q . "$sources" || die "no $suite entries in /etc/apt/sources.list(.d); set SOURCES to a sources.list for $suite"
fi

include=$packages${EXTRA_PACKAGES:+,$EXTRA_PACKAGES}
echo "build.sh: root filesystem ($suite: $include)" >&2
PRELOAD_DIR=$work/preload mmdebstrap --quiet --mode=root --variant=apt --include="$include" \
  --skip=cleanup/apt/lists \
  --customize-hook="\"$self\" --customize \"\$1\"" \
  "$suite" "$work/rootfs" "$sources"
# systemd-resolved's stub, not the build machine's resolver.
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$work/rootfs/etc/resolv.conf"

kernel=$(cd "$work/rootfs/boot" && ls vmlinuz-* | sort -V | tail -n 1)
initrd=initrd.img-${kernel#vmlinuz-}
[ -e "$work/rootfs/boot/$initrd" ] || die "no initramfs for $kernel"
mkdir -p "$work/rootfs/boot/grub"
cat >"$work/rootfs/boot/grub/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
linux /boot/$kernel root=LABEL=root ro console=ttyS0,115200n8
initrd /boot/$initrd
boot
EOF

echo "build.sh: disk" >&2
disk=$work/disk.raw
truncate -s "$size" "$disk"
# One bootable partition from 1 MiB on; GRUB's core.img lives in the gap before it.
echo "start=2048, type=83, bootable" | sfdisk --quiet --label dos "$disk"
bytes=$(stat -c %s "$disk")
mkfs.ext4 -q -F -L root -d "$work/rootfs" -E offset=$((2048 * 512)) "$disk" $(((bytes - 2048 * 512) / 1024))k
grub-mkimage -O i386-pc -o "$work/core.img" -p "(hd0,msdos1)/boot/grub" \
  biosdisk part_msdos ext2 normal linux serial terminal configfile echo test search
[ "$(stat -c %s "$work/core.img")" -lt $((2047 * 512)) ] || die "core.img does not fit before the partition"
# boot.img's code only (440 bytes): the partition table after it stays. Its default
# pointers (core.img at sector 1, the rest right after) match where core.img goes.
dd if="$grub/boot.img" of="$disk" bs=440 count=1 conv=notrunc status=none
dd if="$work/core.img" of="$disk" bs=512 seek=1 conv=notrunc status=none

mkdir -p "$(dirname "$output")"
qemu-img convert -f raw -O qcow2 "$disk" "$output.partial"
mv "$output.partial" "$output"
echo "build.sh: $output" >&2
