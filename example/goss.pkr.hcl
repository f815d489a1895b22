# A goss suite, run by assert: example/goss.yaml, unchanged, without goss in the image.
#
# As written, this template checks a machine that is already running, over SSH, with Packer's
# null builder, at the test harness's address (`test/run.sh e2e` boots a systemd Debian 12
# instance with nginx at 10.200.81.2). For a machine of your own with nginx installed:
#
#   packer build -var host=203.0.113.10 -var user=admin -var use_sudo=true \
#     -var ssh_key="$HOME/.ssh/id_ed25519" example/goss.pkr.hcl
#
# With the goss provisioner, the same suite was:
#
#   provisioner "goss" {
#     tests       = ["${path.root}/goss.yaml"]   # relative paths start where packer runs
#     vars_inline = { web_port = "80" }
#     use_sudo    = true
#   }
#
# which downloaded goss into the image, uploaded the suite to /tmp/goss and ran it there.
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
  name    = "goss"
  sources = ["source.null.debian12"]

  provisioner "assert" {
    use_sudo = var.use_sudo

    # Relative paths start from the folder Packer runs in: path.root is this template's folder.
    goss_files       = ["${path.root}/goss.yaml"]
    goss_vars_inline = { web_port = "80" }

    # Check blocks stand beside the gossfiles, in the same probe.
    file {
      path        = "/etc/hostname"
      description = "a check block beside the gossfile"
    }

    report {
      format = "junit"
      path   = "reports/${source.name}-goss.xml"
    }
  }
}
