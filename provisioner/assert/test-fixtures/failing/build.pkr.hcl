build {
  sources = ["source.null.target"]
  provisioner "assert" {
    package {
      name    = "nginx"
      version = ">= 1.24"
    }
    package { name = "apache2" }
    package { name = "sudo" }
    service {
      name    = "nginx"
      running = false
    }
    service { name = "no-such-daemon" }
    port { port = 8080 }
    port {
      port     = 22
      protocol = "udp"
    }
    file {
      path  = "/etc/nginx/nginx.conf"
      mode  = "0600"
      owner = "www-data"
      content {
        not_contains = ["worker_processes"]
        matches      = ["^user nobody;"]
      }
    }
    file { path = "/etc/no-such-file" }
    file { path = "/etc/hostname" }
    user {
      name  = "www-data"
      shell = "/bin/bash"
    }
    group { name = "no-such-group" }
    command {
      run         = "echo to-stdout; echo to-stderr >&2; exit 2"
      description = "a broken command"
    }
    command {
      run     = "sleep 120"
      timeout = "1s"
    }
  }
  provisioner "shell-local" { inline = ["echo after-assert-ran"] }
}
