# systemd: a SysV init script without a unit file gets a "generated" unit; it starts at boot
# only when it is linked into a runlevel.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    service {
      name    = "trustsysv"
      enabled = true
    }
  }
}
