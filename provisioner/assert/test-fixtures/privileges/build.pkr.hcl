variable "use_sudo" {
  type    = bool
  default = false
}

build {
  sources = ["source.null.target"]
  provisioner "assert" {
    use_sudo = var.use_sudo
    file {
      path = "/root/private/key"
      mode = "0600"
      content { contains = ["secret"] }
    }
    file {
      path   = "/root/private/absent"
      exists = false
    }
    file {
      path = "/etc/shadow"
      content { contains = ["root:"] }
    }
    file {
      path = "/etc/hostname"
      content { contains = ["assert-e2e"] }
    }
    command {
      run    = "id -un"
      stdout { matches = ["^root$"] }
    }
  }
}
