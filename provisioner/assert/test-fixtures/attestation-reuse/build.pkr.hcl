# One source built by two build blocks in one run: Packer tells the plugin the same source for
# both, so neither build's results can be told from the other's, and both are refused.
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
  provisioner "assert" {
    package { name = "nginx" }
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
