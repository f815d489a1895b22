# OpenRC: a status that means "unknown" (LSB exit code 4) is not "stopped" (3).
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    service {
      name    = "trust-unknown"
      running = false
    }
    service {
      name    = "trust-stopped"
      running = false
    }
  }
}
