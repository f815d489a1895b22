# The same image, checked against expectations it does not meet: this is what a failed check looks
# like in the build log. `test/run.sh example` runs it after nginx.pkr.hcl, expecting it to fail.
# Its defaults are the test harness's address and key; the variables are those of nginx.pkr.hcl
# (host, user, ssh_key, use_sudo), to run it against a machine of your own.
variable "host" {
  type    = string
  default = "10.200.81.2"
}

variable "ssh_key" {
  type    = string
  default = "/var/cache/packer-plugin-assert/e2e/client_key"
}

variable "user" {
  type    = string
  default = "root"
}

variable "use_sudo" {
  type    = bool
  default = false
}

source "null" "debian12" {
  communicator         = "ssh"
  ssh_host             = var.host
  ssh_username         = var.user
  ssh_private_key_file = var.ssh_key
}

build {
  sources = ["source.null.debian12"]

  provisioner "assert" {
    use_sudo = var.use_sudo

    package {
      name    = "nginx"
      version = ">= 1.24"
    }
    service {
      name    = "apache2"
      running = true
    }
    port { port = 443 }
    file {
      path  = "/etc/nginx/nginx.conf"
      mode  = "0600"
      owner = "www-data"
    }
    user {
      name   = "www-data"
      groups = ["docker"]
    }
    command {
      run         = "nginx -T 2>&1 | grep -E '^\\s*server_tokens\\s+off;' || { nginx -v; exit 1; }"
      description = "server_tokens is off"
    }
  }
}
