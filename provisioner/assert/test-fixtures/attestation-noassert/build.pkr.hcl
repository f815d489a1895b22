# A build without an assert provisioner has nothing to certify, whatever earlier runs of the
# same source left behind.
variable "out" { type = string }

build {
  sources = ["source.null.target"]
  post-processors {
    post-processor "shell-local" {
      inline = ["echo image > ${var.out}/image.txt"]
    }
    post-processor "artifice" {
      files = ["${var.out}/image.txt"]
    }
    post-processor "assert-attestation" {}
  }
}
