# Report files of a failing build of two sources, with a sensitive variable in a command, in a
# content matcher and in a command's output (one from a default, one from -var): TestAccReportFiles. The checks are quiet, and one
# command is slow enough for the probe to say what it waits for.
variable "out" { type = string }
variable "token" {
  type      = string
  sensitive = true
  default   = "tok-5f0c1e-do-not-leak"
}
# given on the command line by the test
variable "pin" {
  type      = string
  sensitive = true
}

source "null" "second" {
  communicator         = "ssh"
  ssh_host             = var.host
  ssh_username         = var.ssh_user
  ssh_private_key_file = var.ssh_key
}

build {
  name    = "images"
  sources = ["source.null.target", "source.null.second"]
  provisioner "assert" {
    quiet = true
    report {
      format = "junit"
      path   = "${var.out}/${build.name}-${source.name}/assert.xml"
    }
    report {
      format = "json"
      path   = "${var.out}/${build.name}-${source.name}/assert.json"
    }
    report {
      format = "text"
      path   = "${var.out}/${build.name}-${source.name}/assert.txt"
    }
    package { name = "nginx" }
    file {
      path = "/etc/hostname"
      content { contains = [var.token] }
    }
    command {
      run         = "echo ${var.token}; echo ${var.pin}"
      description = "prints the token"
      stdout { contains = ["${var.token}-and-more"] }
    }
    command {
      run         = "sleep 7"
      description = "slow"
    }
    service {
      name     = "no-such-daemon"
      severity = "warning"
    }
    file {
      path = "/etc/skipped"
      skip = true
    }
  }
}
