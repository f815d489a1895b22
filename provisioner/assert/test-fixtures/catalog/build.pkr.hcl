# Every kind of check beyond the first seven, passing on the systemd target, with a warning and a
# skipped check that do not fail the build.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    http {
      url     = "http://127.0.0.1/"
      headers = ["Content-Type: text/html"]
      body { contains = ["Welcome to nginx!"] }
    }
    http {
      url    = "http://127.0.0.1/no-such-page"
      status = 404
    }
    dns {
      # from the target's /etc/hosts (its network namespace reaches no DNS server)
      name      = "assert-e2e"
      addresses = ["127.0.1.1"]
    }
    addr {
      address = "127.0.0.1"
      port    = 22
    }
    addr {
      address   = "127.0.0.1"
      port      = 9
      reachable = false
    }
    os {
      family  = "debian"
      name    = "debian"
      version = "12.*"
    }
    file {
      path   = "/etc/hostname"
      size   = 11
      sha256 = "9EFD49DCB0F005F334D9DA77995881BF2AF8C27544FEBA2206B998CBD4180FB2"
    }
    file {
      path        = "/usr/bin/awk"
      link_target = "/etc/alternatives/awk"
    }
    process {
      name = "nginx"
      user = "root"
      args { contains = ["master process"] }
    }
    process {
      name = "nginx"
      user = "www-data"
    }
    process {
      name    = "telnetd"
      running = false
    }
    kernel_param {
      name  = "kernel.ostype"
      value = "Linux"
    }
    kernel_param {
      name  = "net/ipv4/ip_forward"
      value = "0"
    }
    kernel_param {
      name   = "net.ipv4.no_such_param"
      exists = false
    }
    kernel_module { name = "overlay" }
    mount {
      path       = "/proc"
      filesystem = "proc"
      source     = "proc"
      options    = ["nosuid", "nodev", "noexec"]
    }
    mount {
      path    = "/tmp"
      options = ["nosuid", "size"]
    }
    mount {
      path   = "/mnt"
      exists = false
    }
    interface {
      name      = "lo"
      mtu       = 65536
      addresses = ["127.0.0.1/8", "::1"]
    }
    interface {
      name   = "docker0"
      exists = false
    }
    file {
      path        = "/etc/motd-of-the-future"
      severity    = "warning"
      description = "a login banner, nice to have"
    }
    port {
      port = 443
      skip = true
    }
  }
}
