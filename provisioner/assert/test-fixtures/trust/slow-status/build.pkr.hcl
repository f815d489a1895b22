# OpenRC: the service's status command takes five minutes, in the probe's foreground.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    service {
      name    = "trust-slow"
      running = true
    }
  }
}
