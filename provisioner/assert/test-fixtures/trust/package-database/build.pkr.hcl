# The package database cannot be read: a package is then neither installed nor absent.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    package {
      name      = "telnetd"
      installed = false
    }
  }
}
