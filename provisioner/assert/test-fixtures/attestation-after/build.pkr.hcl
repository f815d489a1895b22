# The review's stale checks: a provisioner changes the instance after assert has checked it
# (nginx.conf made world-writable), the artifact is made from the changed instance, and the
# change is undone. The post-processor refuses to certify it, unless allow = true: then the
# attestation names the shell provisioners after assert, which were not checked (the file
# download is no change).
variable "out" { type = string }
variable "allow" {
  type    = bool
  default = false
}

build {
  sources = ["source.null.target"]

  provisioner "assert" {
    file {
      path = "/etc/nginx/nginx.conf"
      mode = "0644"
    }
  }
  provisioner "shell" {
    inline = ["chmod 0666 /etc/nginx/nginx.conf", "tar -czf /tmp/attest-after.tar.gz -C /etc nginx"]
  }
  provisioner "file" {
    direction   = "download"
    source      = "/tmp/attest-after.tar.gz"
    destination = "${var.out}/image.tar.gz"
  }
  provisioner "shell" {
    inline = ["chmod 0644 /etc/nginx/nginx.conf", "rm -f /tmp/attest-after.tar.gz"]
  }

  post-processors {
    post-processor "artifice" {
      files = ["${var.out}/image.tar.gz"]
    }
    post-processor "assert-attestation" {
      allow_provisioners_after = var.allow
    }
  }
}
