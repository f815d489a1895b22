# The clean-up the docs recommend, then hygiene {}: every rule passes. The first provisioner
# keeps copies of what the clean-up removes, and the last puts them back, so that the tests
# after this one find the target as it was (the build's own SSH connection outlives the
# removal of the host keys and of authorized_keys).
build {
  sources = ["source.null.target"]
  provisioner "shell" {
    inline = [
      "set -e",
      "B=/run/hygiene-e2e; mkdir -p $B/ssh",
      "cp -p /etc/ssh/ssh_host_* $B/ssh/",
      "cp -p /root/.ssh/authorized_keys $B/authorized_keys-root",
      "cp -p /home/alice/.ssh/authorized_keys $B/authorized_keys-alice",
      "cp -p /home/bob/.ssh/authorized_keys $B/authorized_keys-bob",
      "cp -p /etc/machine-id $B/machine-id",
      "if [ -f /var/lib/dbus/machine-id ]; then cp -p /var/lib/dbus/machine-id $B/dbus-machine-id; fi",
      "cp -a /var/lib/apt/lists $B/lists",
    ]
  }
  # the clean-up of docs/provisioners/assert.mdx, "Seal-time hygiene", the same lines
  # (TestHygieneCleanUpFixtureIsTheDocs compares them)
  provisioner "shell" {
    inline = [
      "apt-get clean",
      "rm -rf /var/lib/apt/lists/*",
      "rm -f /etc/ssh/ssh_host_*",
      "truncate -s 0 /etc/machine-id",
      "rm -f /var/lib/dbus/machine-id",
      "rm -f /var/lib/dhcp/*.leases",
      "if command -v cloud-init >/dev/null; then cloud-init clean --logs; fi",
      "rm -f /root/.bash_history /home/*/.bash_history",
      "rm -f /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys",
    ]
  }
  provisioner "assert" {
    hygiene {}
  }
  provisioner "shell" {
    script = "${path.root}/../hygiene-restore.sh"
  }
  error-cleanup-provisioner "shell" {
    script = "${path.root}/../hygiene-restore.sh"
  }
}
