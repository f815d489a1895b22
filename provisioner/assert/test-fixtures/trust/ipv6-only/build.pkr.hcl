# nginx listens on [::]:8083 with IPV6_V6ONLY (its default for "listen [::]:8083;"): IPv6 only.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    port {
      port    = 8083
      address = "127.0.0.1"
    }
    port {
      port      = 8083
      address   = "0.0.0.0"
      listening = false
    }
    port {
      port    = 8083
      address = "::"
    }
  }
}
