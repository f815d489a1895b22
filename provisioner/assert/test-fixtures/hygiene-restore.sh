#!/bin/sh
# Puts the systemd target back as the hygiene builds found it: it undoes what their provisioners
# changed, from the copies they made in /run/hygiene-e2e (a tmpfs, gone at the next boot), so
# that the tests after them in the same run see the target as it was. It runs as the last
# provisioner of each hygiene build, as its error-cleanup-provisioner, and from the test's
# cleanup over ssh; it may run more than once.
B=/run/hygiene-e2e
[ -d "$B" ] || exit 0
# what the dirty build added
[ -f "$B/GPL-3" ] && cp -p "$B/GPL-3" /usr/share/common-licenses/GPL-3
rm -rf /var/lib/dhcp/dhclient.eth0.leases /var/lib/cloud /var/log/cloud-init.log \
	/root/.bash_history /home/alice/.python_history /root/.ssh/id_ed25519 /root/.ssh/id_ed25519.pub \
	/home/bob/certs /root/.aws /home/alice/.docker /etc/hygiene-e2e.conf /opt/hygiene-e2e-drop \
	/usr/local/bin/hygiene-e2e-tool /usr/local/bin/hygiene-e2e-helper /usr/local/bin/hygiene-e2e-owned
[ -f "$B/no-dhcp-folder" ] && rmdir /var/lib/dhcp 2>/dev/null
# what the clean build removed
if [ -d "$B/ssh" ]; then
	cp -p "$B"/ssh/ssh_host_* /etc/ssh/
fi
ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A
for u in root alice bob; do
	home=/home/$u
	[ "$u" = root ] && home=/root
	[ -f "$B/authorized_keys-$u" ] && cp -p "$B/authorized_keys-$u" "$home/.ssh/authorized_keys"
done
[ -f "$B/machine-id" ] && cp -p "$B/machine-id" /etc/machine-id
[ -f "$B/dbus-machine-id" ] && cp -p "$B/dbus-machine-id" /var/lib/dbus/machine-id
[ -d "$B/lists" ] && cp -a "$B/lists/." /var/lib/apt/lists/
rm -rf "$B"
