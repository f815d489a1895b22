build {
  sources = ["source.null.target"]
  provisioner "assert" {
    package {
      name    = "nginx"
      version = ">= 1.22, < 2"
    }
    package {
      name    = "openssh-server"
      version = "> 1:9"
    }
    package {
      name      = "apache2"
      installed = false
    }
    service {
      name    = "nginx"
      enabled = true
      running = true
    }
    service {
      name    = "cron.service"
      running = true
    }
    service {
      name    = "no-such-daemon"
      running = false
    }
    port { port = 80 }
    port {
      port    = 80
      address = "::"
    }
    port {
      port    = 22
      address = "10.200.81.2"
    }
    port {
      port      = 8080
      listening = false
    }
    file {
      path  = "/etc/nginx/nginx.conf"
      type  = "file"
      mode  = "0644"
      owner = "root"
      group = "0"
      content {
        contains     = ["worker_processes auto;"]
        not_contains = ["autoindex on"]
        matches      = ["^\\s*include /etc/nginx/sites-enabled/\\*;$"]
      }
    }
    file {
      path = "/etc/nginx/sites-enabled/default"
      type = "symlink"
    }
    file {
      path = "/var/www/html"
      type = "directory"
    }
    file {
      path   = "/etc/no-such-file"
      exists = false
    }
    user {
      name   = "root"
      uid    = 0
      home   = "/root"
      groups = ["root"]
    }
    user {
      name   = "bob"
      shell  = "/bin/sh"
      groups = ["bob"]
    }
    user {
      name   = "mallory"
      exists = false
    }
    group {
      name = "adm"
      gid  = 4
    }
    command {
      run = "nginx -t"
      stderr { contains = ["syntax is ok"] }
    }
    command {
      run         = "printf 'a\\nb\\n'; exit 3"
      exit_status = 3
      stdout { matches = ["^b$"] }
    }
  }
  # runs only when every check passed
  provisioner "shell-local" { inline = ["echo after-assert-ran"] }
}
