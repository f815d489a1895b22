# A build that only checks, and a build of the same source that checks and certifies: the
# certified build's attestation holds its own checks, and none of the other build's, whether that
# build has finished or not (it sleeps before its checks, so it has not).
variable "out" { type = string }

build {
  name    = "checks-only"
  sources = ["source.null.target"]
  provisioner "shell" {
    inline = ["sleep 4"]
  }
  provisioner "assert" {
    file {
      path  = "/etc/hostname"
      owner = "root"
    }
  }
}

build {
  name    = "certified"
  sources = ["source.null.target"]
  provisioner "assert" {
    package { name = "nginx" }
  }
  post-processors {
    post-processor "shell-local" {
      inline = ["echo certified > ${var.out}/certified.img"]
    }
    post-processor "artifice" {
      files = ["${var.out}/certified.img"]
    }
    post-processor "assert-attestation" {}
  }
}
