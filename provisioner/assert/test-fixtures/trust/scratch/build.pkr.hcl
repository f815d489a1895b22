# Any check at all: the probe needs its scratch folder before it gathers anything.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    file { path = "/etc/hostname" }
  }
}
