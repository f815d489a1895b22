# Every rule of hygiene {} finds something: the provisioner before it leaves in the image what a
# careless build does. The systemd target already has SSH host keys, a machine id, the test
# key in authorized_keys and apt's lists.
build {
  sources = ["source.null.target"]
  provisioner "shell" {
    inline = [
      "set -e",
      "B=/run/hygiene-e2e; mkdir -p $B",
      "cp -p /usr/share/common-licenses/GPL-3 $B/GPL-3",
      "echo 'changed by the hygiene test' >>/usr/share/common-licenses/GPL-3",
      "[ -d /var/lib/dhcp ] || touch $B/no-dhcp-folder",
      "mkdir -p /var/lib/dhcp; echo 'lease { fixed-address 10.200.81.2; }' >/var/lib/dhcp/dhclient.eth0.leases",
      "mkdir -p /var/lib/cloud/instances/i-0e2e /var/lib/cloud/data; ln -sfn /var/lib/cloud/instances/i-0e2e /var/lib/cloud/instance",
      "echo i-0e2e >/var/lib/cloud/data/instance-id",
      "echo 'Cloud-init v. 23.1 running init' >/var/log/cloud-init.log",
      "echo 'mysql -u root -psecret' >/root/.bash_history",
      "echo 'import os' >/home/alice/.python_history",
      "ssh-keygen -q -t ed25519 -N '' -C hygiene-test -f /root/.ssh/id_ed25519",
      "mkdir -p /home/bob/certs; printf -- '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----\\n' >/home/bob/certs/server.pem",
      "mkdir -p /root/.aws; printf '[default]\\naws_secret_access_key = not-a-secret\\n' >/root/.aws/credentials",
      "mkdir -p /home/alice/.docker; echo '{\"auths\":{\"registry.example.com\":{\"auth\":\"dGVzdDp0ZXN0\"}}}' >/home/alice/.docker/config.json",
      "echo 'x = 1' >/etc/hygiene-e2e.conf; chmod 666 /etc/hygiene-e2e.conf",
      "mkdir -p /opt/hygiene-e2e-drop; chmod 777 /opt/hygiene-e2e-drop",
      "cp /bin/true /usr/local/bin/hygiene-e2e-tool; chmod 4755 /usr/local/bin/hygiene-e2e-tool",
      "cp /bin/true /usr/local/bin/hygiene-e2e-owned; chown alice:alice /usr/local/bin/hygiene-e2e-owned",
    ]
  }
  provisioner "assert" {
    hygiene {}
  }
  error-cleanup-provisioner "shell" {
    script = "${path.root}/../hygiene-restore.sh"
  }
}
