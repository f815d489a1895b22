# The review's scenario B: build "checked" checks and certifies its image; build "unchecked"
# builds the same source, renamed, checks nothing, and has the same post-processor chain. Packer
# tells the plugin the same source (null.target) for both. "unchecked" must not be certified.
variable "out" { type = string }
variable "key_file" { type = string }

build {
  name    = "checked"
  sources = ["source.null.target"]
  provisioner "assert" {
    file {
      path  = "/etc/nginx/nginx.conf"
      owner = "root"
    }
  }
  post-processors {
    post-processor "shell-local" {
      inline = ["echo checked > ${var.out}/checked.img"]
    }
    post-processor "artifice" {
      files = ["${var.out}/checked.img"]
    }
    post-processor "assert-attestation" {
      key_file = var.key_file
    }
  }
}

build {
  name = "unchecked"
  source "null.target" {
    name = "quick"
  }
  provisioner "shell" {
    inline = ["sleep 3"]
  }
  post-processors {
    post-processor "shell-local" {
      inline = ["echo NEVER-CHECKED > ${var.out}/unchecked.img"]
    }
    post-processor "artifice" {
      files = ["${var.out}/unchecked.img"]
    }
    post-processor "assert-attestation" {
      key_file = var.key_file
    }
  }
}
