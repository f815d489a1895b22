# One source built by two build blocks in one run, each checking something of its own and
# certifying its own artifact. Packer tells the plugin the same source for both; each
# post-processor takes its own build's assert provisioner, and no other's.
variable "out" { type = string }

build {
  name    = "one"
  sources = ["source.null.target"]
  provisioner "assert" {
    package { name = "nginx" }
  }
  post-processors {
    post-processor "shell-local" {
      inline = ["echo one > ${var.out}/one.txt"]
    }
    post-processor "artifice" {
      files = ["${var.out}/one.txt"]
    }
    post-processor "assert-attestation" {}
  }
}

build {
  name = "two"
  source "null.target" {
    name = "renamed"
  }
  provisioner "shell" {
    inline = ["sleep 2"]
  }
  provisioner "assert" {
    file {
      path  = "/etc/hostname"
      owner = "root"
    }
  }
  post-processors {
    post-processor "shell-local" {
      inline = ["echo two > ${var.out}/two.txt"]
    }
    post-processor "artifice" {
      files = ["${var.out}/two.txt"]
    }
    post-processor "assert-attestation" {}
  }
}
