# Every kind of check beyond the first seven, failing on the systemd target: what each says.
build {
  sources = ["source.null.target"]
  provisioner "assert" {
    http {
      url     = "http://127.0.0.1/"
      headers = ["Server: apache"]
      body { contains = ["Welcome to Apache"] }
    }
    http {
      url     = "http://127.0.0.1:8080/"
      timeout = "2s"
    }
    dns { name = "no-such-host.invalid" }
    dns {
      name      = "assert-e2e"
      addresses = ["10.0.0.1"]
    }
    dns {
      # no DNS server answers in the target: "does not exist" cannot be told, never a pass
      name       = "no-such-host.invalid"
      resolvable = false
    }
    addr {
      address = "127.0.0.1"
      port    = 9
      timeout = "2s"
    }
    addr {
      address   = "127.0.0.1"
      port      = 80
      reachable = false
    }
    os { family = "rhel" }
    os { version = ">= 13" }
    file {
      path   = "/etc/hostname"
      size   = "> 1KiB"
      sha512 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    }
    file {
      path        = "/usr/bin/awk"
      link_target = "/usr/bin/mawk"
    }
    file {
      path        = "/etc/hostname"
      link_target = "/etc/elsewhere"
    }
    process { name = "apache2" }
    process {
      name = "nginx"
      user = "nobody"
    }
    process {
      # a forbidden match is reported by line, the command line never shown
      name = "nginx"
      user = "root"
      args { not_contains = ["master process"] }
    }
    process {
      name    = "sshd"
      running = false
    }
    kernel_param {
      name  = "net.ipv4.ip_forward"
      value = "1"
    }
    kernel_param { name = "net.ipv4.no_such_param" }
    kernel_module {
      name   = "overlay"
      loaded = false
    }
    kernel_module { name = "no_such_module" }
    mount {
      path       = "/tmp"
      filesystem = "xfs"
      options    = ["noexec"]
    }
    mount { path = "/mnt" }
    interface {
      name      = "lo"
      mtu       = 1500
      addresses = ["127.0.0.2"]
    }
    interface { name = "eth9" }
    interface {
      # the target's sysfs is the host's (systemd-nspawn): an error, never a guess
      name      = "assert-e2e-t"
      addresses = ["10.200.81.2/30"]
    }
  }
}
