# A golden nginx image, checked before it is sealed.
#
# As written, this template checks a machine that is already running, over SSH, with Packer's
# null builder; its defaults are the test harness's: `test/run.sh example` boots a systemd
# Debian 12 instance at 10.200.81.2 and runs this template against it. To run it against a
# machine of your own with nginx installed, set the variables:
#
#   packer build -var host=203.0.113.10 -var user=admin -var use_sudo=true \
#     -var ssh_key="$HOME/.ssh/id_ed25519" example/nginx.pkr.hcl
#
# use_sudo = true when the user is not root (`nginx -t` needs root). In a real template the
# source is your builder (amazon-ebs, qemu, azure-arm, …: see amazon-ebs.pkr.hcl), and the
# assert provisioner comes after the provisioners that install and configure nginx.
packer {
  required_plugins {
    assert = {
      source  = "github.com/assertkit/assert"
      version = ">= 0.1.0"
    }
  }
}

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
  name    = "nginx"
  sources = ["source.null.debian12"]

  provisioner "assert" {
    use_sudo = var.use_sudo

    # Report files for CI, one per build of each source: a JUnit file that CI systems show as
    # test results, and the whole run as JSON.
    report {
      format = "junit"
      path   = "reports/${build.name}-${source.name}.xml"
    }
    report {
      format = "json"
      path   = "reports/${build.name}-${source.name}.json"
    }

    package {
      name    = "nginx"
      version = ">= 1.22, < 2" # compared the way dpkg compares versions
    }
    package {
      name    = "openssh-server"
      version = ">= 1:9.2p1" # the epoch counts
    }
    package {
      name      = "telnetd"
      installed = false
    }
    service {
      name    = "nginx"
      enabled = true
      running = true
    }
    service {
      name    = "ssh"
      running = true
    }
    port {
      port = 80 # on any IPv4 or IPv6 address
    }
    port {
      port    = 22
      address = "127.0.0.1" # reachable on loopback (sshd's socket on 0.0.0.0 counts), not "bound only to"
    }
    file {
      path  = "/etc/nginx/nginx.conf"
      type  = "file"
      mode  = "0644"
      owner = "root"
      group = "root"
      content {
        contains    = ["worker_processes auto;"]
        not_matches = ["^\\s*autoindex\\s+on"]
      }
    }
    file {
      path        = "/etc/ssh/ssh_host_ed25519_key"
      mode        = "0600"
      description = "host keys are private"
    }
    file {
      path   = "/root/.bash_history"
      exists = false
    }
    user {
      name   = "www-data"
      shell  = "/usr/sbin/nologin"
      groups = ["www-data"]
    }
    group {
      name = "adm"
      gid  = 4
    }
    command {
      run         = "nginx -t"
      description = "the configuration parses"
      stderr {
        contains = ["syntax is ok", "test is successful"]
      }
    }
    command {
      run = "curl -fsS http://127.0.0.1/"
      stdout {
        matches = ["(?i)<title>welcome to nginx"]
      }
      timeout = "10s"
    }
  }
}
