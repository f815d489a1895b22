# A hardened Debian 12 AMI, checked before it is sealed: the shape of a real template. The shell
# provisioners configure the instance; the assert provisioner, last, fails the build (and no AMI
# is made) when the instance is not what they were meant to make.
#
#   packer init example/amazon-ebs.pkr.hcl
#   packer build -var region=eu-west-1 example/amazon-ebs.pkr.hcl
#
# It needs AWS credentials as the amazon plugin reads them (environment, profile or instance
# role). CI only checks its syntax (`packer validate -syntax-only`), since the amazon plugin and
# AWS are not reachable there. One list of packages drives what is installed and what is
# asserted, through a `dynamic` block.
packer {
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = ">= 1.3.0"
    }
    assert = {
      source  = "github.com/assertkit/assert"
      version = ">= 0.1.0"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "instance_type" {
  type    = string
  default = "t3.micro"
}

variable "packages" {
  type        = list(string)
  description = "Installed by the shell provisioner, then asserted to be installed."
  default     = ["nginx", "auditd", "unattended-upgrades", "curl"]
}

variable "absent_packages" {
  type        = list(string)
  description = "Asserted not to be installed."
  default     = ["telnetd", "rsh-server", "nis"]
}

locals {
  stamp = formatdate("YYYYMMDD-hhmmss", timestamp())
}

source "amazon-ebs" "debian12" {
  region        = var.region
  instance_type = var.instance_type
  ami_name      = "hardened-debian12-${local.stamp}"
  ssh_username  = "admin" # Debian's cloud images: admin, with password-less sudo

  source_ami_filter {
    filters = {
      name                = "debian-12-amd64-*"
      architecture        = "x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["136693071363"] # Debian
    most_recent = true
  }
}

build {
  sources = ["source.amazon-ebs.debian12"]

  provisioner "shell" {
    inline = [
      "sudo DEBIAN_FRONTEND=noninteractive apt-get update -q",
      "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${join(" ", var.packages)}",
      "sudo systemctl enable --now nginx auditd unattended-upgrades",
      # sshd takes the first value it reads, and reads sshd_config.d in name order: 01- comes first
      "printf 'PermitRootLogin no\\nPasswordAuthentication no\\n' | sudo tee /etc/ssh/sshd_config.d/01-hardening.conf >/dev/null",
      "sudo chmod 0644 /etc/ssh/sshd_config.d/01-hardening.conf",
      "sudo systemctl reload ssh",
      "echo 'server_tokens off;' | sudo tee /etc/nginx/conf.d/security.conf >/dev/null",
      "sudo systemctl reload nginx",
    ]
  }

  provisioner "assert" {
    use_sudo = true # the checks read root-only files and run sshd -T

    dynamic "package" {
      for_each = var.packages
      content {
        name = package.value
      }
    }
    dynamic "package" {
      for_each = var.absent_packages
      iterator = absent
      content {
        name      = absent.value
        installed = false
      }
    }

    service {
      name    = "ssh"
      enabled = true
      running = true
    }
    service {
      name    = "nginx"
      enabled = true
      running = true
    }
    service {
      name    = "auditd"
      enabled = true
      running = true
    }

    port {
      port = 22
    }
    port {
      port = 80
    }
    port {
      port      = 23
      listening = false
    }

    file {
      path  = "/etc/ssh/sshd_config.d/01-hardening.conf"
      mode  = "0644"
      owner = "root"
      content {
        matches = ["^PermitRootLogin no$", "^PasswordAuthentication no$"]
      }
    }
    file {
      path  = "/etc/shadow"
      mode  = "0640"
      owner = "root"
      group = "shadow"
    }
    file {
      path   = "/root/.bash_history"
      exists = false
    }

    command {
      run         = "sshd -T"
      description = "the effective sshd configuration"
      stdout {
        matches = ["^permitrootlogin no$", "^passwordauthentication no$"]
      }
    }
    command {
      run         = "nginx -t"
      description = "the nginx configuration parses"
      stderr {
        contains = ["syntax is ok", "test is successful"]
      }
    }
    command {
      run         = "curl -fsSI http://127.0.0.1/"
      description = "nginx answers and hides its version"
      stdout {
        matches     = ["(?i)^server: nginx\\r?$"]
        not_matches = ["(?i)^server: nginx/"]
      }
      timeout = "10s"
    }
    command {
      run         = "awk -F: '$3 == 0 && $1 != \"root\"' /etc/passwd"
      description = "root is the only account with uid 0"
      stdout {
        matches = ["\\A\\z"]
      }
    }
    command {
      run         = "sysctl -n net.ipv4.ip_forward"
      description = "the instance does not route"
      stdout {
        matches = ["\\A0\\n?\\z"]
      }
    }
  }
}
