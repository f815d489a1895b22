# A set-uid program the build adds on purpose, allowed by setuid_allowed: the setuid rule passes;
# the other rules are switched off, and reported as skipped.
build {
  sources = ["source.null.target"]
  provisioner "shell" {
    inline = [
      "mkdir -p /run/hygiene-e2e",
      "cp /bin/true /usr/local/bin/hygiene-e2e-helper",
      "chmod 4755 /usr/local/bin/hygiene-e2e-helper",
    ]
  }
  provisioner "assert" {
    hygiene {
      setuid_allowed  = ["/usr/local/bin/hygiene-e2e-helper"]
      ssh_host_keys   = false
      machine_id      = false
      dhcp_leases     = false
      cloud_init      = false
      histories       = false
      authorized_keys = false
      private_keys    = false
      credentials     = false
      world_writable  = false
      owners          = false
      package_files   = false
      package_caches  = false
    }
  }
  provisioner "shell" {
    script = "${path.root}/../hygiene-restore.sh"
  }
  error-cleanup-provisioner "shell" {
    script = "${path.root}/../hygiene-restore.sh"
  }
}
