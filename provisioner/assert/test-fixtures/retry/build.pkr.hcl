# The command fails the first time (it is "still starting") and passes the second.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    retries     = 2
    retry_delay = "1s"
    file { path = "/etc/hostname" }
    package { name = "nginx" }
    command {
      run = "if [ -e /tmp/assert-retry ]; then rm /tmp/assert-retry; echo ready; else touch /tmp/assert-retry; exit 1; fi"
      stdout { contains = ["ready"] }
    }
  }
}
