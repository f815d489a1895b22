# A build whose checks fail gets no attestation: with continue_on_failure the build goes on to
# the post-processor, which refuses; without it, the build stops at the assert provisioner.
variable "out" { type = string }
variable "key_file" { type = string }
variable "continue_on_failure" { type = bool }

build {
  sources = ["source.null.target"]

  provisioner "shell" {
    inline = ["tar -czf /tmp/attest-failing.tar.gz -C /etc nginx"]
  }
  provisioner "file" {
    direction   = "download"
    source      = "/tmp/attest-failing.tar.gz"
    destination = "${var.out}/image.tar.gz"
  }
  provisioner "shell" {
    inline = ["rm -f /tmp/attest-failing.tar.gz"]
  }
  provisioner "assert" {
    continue_on_failure = var.continue_on_failure
    package { name = "nginx" }
    file {
      path = "/etc/nginx/nginx.conf"
      mode = "0600"
    }
  }

  post-processors {
    post-processor "artifice" {
      files = ["${var.out}/image.tar.gz"]
    }
    post-processor "assert-attestation" {
      key_file           = var.key_file
      unsigned_statement = true
    }
  }
}
