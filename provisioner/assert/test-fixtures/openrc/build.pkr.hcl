# The OpenRC target: the same Debian with sysvinit as PID 1 and OpenRC for runlevels.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    service {
      name    = "nginx"
      enabled = true
      running = true
    }
    service {
      name    = "cron"
      enabled = true
    }
    service {
      name    = "no-such-daemon"
      running = false
    }
    service { name = "telnetd" }
    package { name = "openrc" }
    package {
      name      = "systemd-sysv"
      installed = false
    }
    port { port = 80 }
  }
}
